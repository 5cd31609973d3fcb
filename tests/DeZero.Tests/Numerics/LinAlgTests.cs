namespace DeZero.Tests.Numerics;

using static Golden;

/// <summary>MatMul and Dot against NumPy: 1-D and 2-D operands, batched N-D with broadcasting, dot N-D·M-D, dtypes.</summary>
public class LinAlgTests
{
    public static TheoryData<string> Cases => Names("ndarray_linalg");

    [Theory, MemberData(nameof(Cases))]
    public void MatchesNumPy(string name)
    {
        var c = Case("ndarray_linalg", name);
        NDArray a = Reference.Array(c.GetProperty("a")), b = Reference.Array(c.GetProperty("b"));
        Check(c, () => c.Str("op") == "dot" ? NDArray.Dot(a, b) : NDArray.MatMul(a, b), a, b);
    }
}
