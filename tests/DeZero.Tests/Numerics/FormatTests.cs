using System.Text.Json;

namespace DeZero.Tests.Numerics;

public class FormatTests
{
    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in Reference.Load("format").EnumerateArray()) d.Add(c.GetProperty("name").GetString()!);
        return d;
    }

    static JsonElement Case(string name) =>
        Reference.Load("format").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void StrMatchesNumPy(string name)
    {
        var c = Case(name);
        Assert.Equal(c.GetProperty("str").GetString(), Reference.Array(c.GetProperty("array")).ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReprMatchesNumPy(string name)
    {
        var c = Case(name);
        Assert.Equal(c.GetProperty("repr").GetString(), Reference.Array(c.GetProperty("array")).Repr());
    }

    [Fact]
    public void FormattingIgnoresTheCurrentCulture()
    {
        var a = NDArray.FromArray(new[] { -1.5, 2.25e-7 });
        var old = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
            Assert.Equal("[-1.50e+00  2.25e-07]", a.ToString());
            Assert.Equal("-1.5", NDArray.Scalar(-1.5).ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = old;
        }
    }
}
