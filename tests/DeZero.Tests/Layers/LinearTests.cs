using System.Text.Json;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>L.Linear against the Python DeZero (tests/data/layers.json): initialisation, lazy shape inference, forward and backward.</summary>
[Collection("GlobalRandom")]
public class LinearTests
{
    static readonly JsonElement Ref = Reference.Load("layers");

    static NDArray R(string section, string name) => Reference.Array(Ref.GetProperty(section).GetProperty(name));

    [Theory]
    [InlineData(DType.Float32, "linear_init_f32")]
    [InlineData(DType.Float64, "linear_init_f64")]
    public void EagerInitialisationDrawsWLikeTheBook(DType dtype, string section)
    {
        RandomState.Global.Seed(0);
        var l = new L.Linear(5, dtype: dtype, inSize: 3);
        Reference.AssertClose(R(section, "W"), l.W.Data, rtol: 0);
        Reference.AssertClose(R(section, "b"), l.b!.Data, rtol: 0);
        Assert.Equal(3, l.InSize);
        Assert.Equal(5, l.OutSize);
        Assert.Equal("W", l.W.Name);
        Assert.Equal("b", l.b.Name);
    }

    [Fact]
    public void AGivenRandomStateReplacesTheGlobalOne()
    {
        RandomState.Global.Seed(0);
        var fromGlobal = new L.Linear(5, inSize: 3).W.Data;
        var own = new L.Linear(5, inSize: 3, rng: new RandomState(0)).W.Data;
        Reference.AssertClose(fromGlobal, own, rtol: 0);
    }

    [Theory]
    [InlineData("linear_lazy_f64", 1e-12)]
    [InlineData("linear_lazy_f32", 1e-6)]
    [InlineData("linear_nobias", 1e-12)]
    public void LazyLayerInfersInSizeThenMatchesTheBooksForwardAndBackward(string section, double rtol)
    {
        RandomState.Global.Seed(0);
        var x = new Variable(RandomState.Global.Rand(2, 3).AsType(R(section, "x").DType));
        Reference.AssertClose(R(section, "x"), x.Data, rtol: 0);
        bool nobias = section == "linear_nobias";
        var l = new L.Linear(4, nobias: nobias);
        Assert.Null(l.InSize);
        Assert.False(l.W.HasData);

        var y = l.Call(x);
        var c = RandomState.Global.Rand(2, 4).AsType(x.DType);
        F.Sum(y * c).Backward();

        Assert.Equal(3, l.InSize);
        Reference.AssertClose(R(section, "W"), l.W.Data!, rtol: 0, what: "W");
        Reference.AssertClose(R(section, "y"), y.Data, rtol, what: "y");
        Reference.AssertClose(R(section, "gx"), x.Grad!.Data, rtol, what: "gx");
        Reference.AssertClose(R(section, "gW"), l.W.Grad!.Data, rtol, what: "gW");
        if (nobias) Assert.Null(l.b);
        else Reference.AssertClose(R(section, "gb"), l.b!.Grad!.Data, rtol, what: "gb");
        Assert.Equal(nobias ? new[] { "W" } : new[] { "W", "b" }, l.NamedParams().Select(e => e.Key));
    }

    [Fact]
    public void WrongInputWidthAfterInitialisationNamesTheLayerAndShapes()
    {
        var l = new L.Linear(4, inSize: 3, rng: new RandomState(1));
        var e = Assert.Throws<ArgumentException>(() => l.Call(NDArray.Ones(2, 5)));
        Assert.Contains("L.Linear(4)", e.Message);
        Assert.Contains("(2, 5)", e.Message);
        Assert.Contains("(3, 4)", e.Message);

        var lazy = new L.Linear(4, rng: new RandomState(1));
        lazy.Call(NDArray.Ones(2, 3));
        Assert.Throws<ArgumentException>(() => lazy.Call(NDArray.Ones(2, 2)));
        var e1 = Assert.Throws<ArgumentException>(() => lazy.Call(NDArray.Ones(3)));
        Assert.Contains("(3,)", e1.Message);
    }

    [Fact]
    public void BadConstructorArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.Linear(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.Linear(3, inSize: 0));
        var e = Assert.Throws<ArgumentException>(() => new L.Linear(3, dtype: DType.Int32));
        Assert.Contains("Int32", e.Message);
    }
}
