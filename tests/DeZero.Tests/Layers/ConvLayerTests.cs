using System.Text.Json;
using DeZero.Layers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>L.Conv2d and L.Deconv2d against the Python DeZero (tests/data/layers2.json): initialisation, forward, backward, bad input.</summary>
[Collection("GlobalRandom")]
public class ConvLayerTests
{
    static readonly JsonElement Ref = Reference.Load("layers2");

    static NDArray R(string section, string name) => Reference.Array(Ref.GetProperty(section).GetProperty(name));

    static Layer Make(string section) => section switch
    {
        "conv_f32" => new L.Conv2d(4, 3, stride: 1, pad: 1),
        "conv_f64" => new L.Conv2d(4, 3, stride: 2, pad: 1, dtype: DType.Float64),
        "conv_rect" => new L.Conv2d(3, (3, 2), (2, 1), (1, 0), nobias: true, dtype: DType.Float64),
        "deconv_f32" => new L.Deconv2d(3, 4, stride: 2, pad: 1),
        "deconv_f64" => new L.Deconv2d(2, 3, dtype: DType.Float64),
        "deconv_rect" => new L.Deconv2d(2, (3, 2), (2, 1), (1, 0), nobias: true, dtype: DType.Float64),
        _ => throw new ArgumentException(section),
    };

    static (Parameter W, Parameter? b) Params(Layer l) => l switch
    {
        L.Conv2d c => (c.W, c.b),
        L.Deconv2d d => (d.W, d.b),
        _ => throw new ArgumentException(l.GetType().Name),
    };

    [Theory]
    [InlineData("conv_f32", 1e-5)]
    [InlineData("conv_f64", 1e-12)]
    [InlineData("conv_rect", 1e-12)]
    [InlineData("deconv_f32", 1e-5)]
    [InlineData("deconv_f64", 1e-12)]
    [InlineData("deconv_rect", 1e-12)]
    public void LazyLayerMatchesTheBooksWeightsForwardAndBackward(string section, double rtol)
    {
        var xRef = R(section, "x");
        RandomState.Global.Seed(0);
        var x = new Variable(RandomState.Global.Rand(xRef.Shape).AsType(xRef.DType));
        Reference.AssertClose(xRef, x.Data, rtol: 0, what: "x");
        var layer = Make(section);
        var (w, b) = Params(layer);
        Assert.False(w.HasData);

        var y = layer.Call(x);
        var c = RandomState.Global.Rand(y.Shape).AsType(xRef.DType);
        Reference.AssertClose(R(section, "c"), c, rtol: 0, what: "c");
        F.Sum(y * c).Backward();

        Reference.AssertClose(R(section, "W"), w.Data!, rtol: 0, what: "W");
        Reference.AssertClose(R(section, "y"), y.Data, rtol, atol: rtol, what: "y");
        Reference.AssertClose(R(section, "gx"), x.Grad!.Data, rtol, atol: rtol, what: "gx");
        Reference.AssertClose(R(section, "gW"), w.Grad!.Data, rtol, atol: rtol, what: "gW");
        bool hasBias = Ref.GetProperty(section).TryGetProperty("gb", out var gb);
        Assert.Equal(hasBias, b is not null);
        if (b is not null) Reference.AssertClose(Reference.Array(gb), b.Grad!.Data, rtol, atol: rtol, what: "gb");
        Assert.Equal(hasBias ? ["W", "b"] : new[] { "W" }, layer.NamedParams().Select(e => e.Key));
    }

    [Fact]
    public void EagerInitialisationDrawsWLikeTheBook()
    {
        RandomState.Global.Seed(0);
        var conv = new L.Conv2d(4, 3, inChannels: 3);
        Reference.AssertClose(Reference.Array(Ref.GetProperty("conv_eager_W")), conv.W.Data, rtol: 0);
        Assert.Equal(3, conv.InChannels);
        Assert.Equal(NDArray.Zeros([4], DType.Float32).ToArray<float>(), conv.b!.Data.ToArray<float>());
        Assert.Equal(DType.Float32, conv.b.Data.DType);

        RandomState.Global.Seed(0);
        var deconv = new L.Deconv2d(4, (3, 2), (1, 1), (0, 0), inChannels: 3);
        Reference.AssertClose(Reference.Array(Ref.GetProperty("deconv_eager_W")), deconv.W.Data, rtol: 0);
        Assert.Equal(3, deconv.InChannels);
        Assert.Equal((3, 2), deconv.KernelSize);
    }

    [Fact]
    public void PropertiesReportTheConfiguration()
    {
        var conv = new L.Conv2d(8, 5, stride: 2, pad: 1, dtype: DType.Float64);
        Assert.Equal(8, conv.OutChannels);
        Assert.Equal((5, 5), conv.KernelSize);
        Assert.Equal((2, 2), conv.Stride);
        Assert.Equal((1, 1), conv.Pad);
        Assert.Equal(DType.Float64, conv.DType);
        Assert.Null(conv.InChannels);
        conv.Call(NDArray.Ones(1, 2, 7, 7));
        Assert.Equal(2, conv.InChannels);
        Assert.Equal([8, 2, 5, 5], conv.W.Data.Shape);
        Assert.Equal(DType.Float64, conv.W.Data.DType);
    }

    [Fact]
    public void AGivenRandomStateReplacesTheGlobalOne()
    {
        RandomState.Global.Seed(0);
        var fromGlobal = new L.Conv2d(4, 3, inChannels: 3).W.Data;
        Reference.AssertClose(fromGlobal, new L.Conv2d(4, 3, inChannels: 3, rng: new RandomState(0)).W.Data, rtol: 0);
        RandomState.Global.Seed(0);
        fromGlobal = new L.Deconv2d(4, 3, inChannels: 3).W.Data;
        Reference.AssertClose(fromGlobal, new L.Deconv2d(4, 3, inChannels: 3, rng: new RandomState(0)).W.Data, rtol: 0);
    }

    [Fact]
    public void Conv2dRejectsBadInputNamingLayerShapeAndParameters()
    {
        var conv = new L.Conv2d(16, 3, rng: new RandomState(1));
        var e = Assert.Throws<ArgumentException>(() => conv.Call(NDArray.Ones(3, 8, 8)));
        Assert.Contains("L.Conv2d(16, 3)", e.Message);
        Assert.Contains("(3, 8, 8)", e.Message);
        Assert.Contains("kernel (3, 3), stride (1, 1), pad (0, 0)", e.Message);
        Assert.False(conv.W.HasData);

        e = Assert.Throws<ArgumentException>(() => conv.Call(NDArray.Ones(1, 2, 2, 5)));
        Assert.Contains("L.Conv2d(16, 3)", e.Message);
        Assert.Contains("(1, 2, 2, 5)", e.Message);
        Assert.Contains("larger", e.Message);
        Assert.False(conv.W.HasData);

        conv.Call(NDArray.Ones(1, 2, 4, 4));
        e = Assert.Throws<ArgumentException>(() => conv.Call(NDArray.Ones(1, 3, 4, 4)));
        Assert.Contains("L.Conv2d(16, 3)", e.Message);
        Assert.Contains("(1, 3, 4, 4)", e.Message);
        Assert.Contains("(16, 2, 3, 3)", e.Message);

        var padded = new L.Conv2d(2, (3, 5), (1, 1), (1, 1), rng: new RandomState(1));
        Assert.Equal([1, 2, 2, 1], padded.Call(NDArray.Ones(1, 1, 2, 3)).Shape);
        e = Assert.Throws<ArgumentException>(() => padded.Call(NDArray.Ones(1, 1, 2, 2)));
        Assert.Contains("L.Conv2d(2, (3, 5))", e.Message);
        Assert.Contains("pad (1, 1)", e.Message);
    }

    [Fact]
    public void Deconv2dRejectsBadInputNamingLayerShapeAndParameters()
    {
        var deconv = new L.Deconv2d(4, 3, rng: new RandomState(1));
        var e = Assert.Throws<ArgumentException>(() => deconv.Call(NDArray.Ones(2, 8)));
        Assert.Contains("L.Deconv2d(4, 3)", e.Message);
        Assert.Contains("(2, 8)", e.Message);

        deconv.Call(NDArray.Ones(1, 5, 2, 2));
        e = Assert.Throws<ArgumentException>(() => deconv.Call(NDArray.Ones(1, 4, 2, 2)));
        Assert.Contains("(1, 4, 2, 2)", e.Message);
        Assert.Contains("(5, 4, 3, 3)", e.Message);

        var shrinking = new L.Deconv2d(1, 1, stride: 1, pad: 1, rng: new RandomState(1));
        e = Assert.Throws<ArgumentException>(() => shrinking.Call(NDArray.Ones(1, 1, 2, 2)));
        Assert.Contains("L.Deconv2d(1, 1)", e.Message);
        Assert.Contains("(0, 0)", e.Message);
        Assert.Contains("pad (1, 1)", e.Message);
        Assert.False(shrinking.W.HasData);
    }

    [Theory]
    [InlineData(3, 0, 0)]
    [InlineData(3, -1, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(3, 1, -1)]
    public void BadKernelStrideOrPadIsRejectedAtConstruction(int kernel, int stride, int pad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new L.Conv2d(16, kernel, stride, pad));
        Assert.Contains($"L.Conv2d(16, {kernel})", e.Message);
        Assert.Contains($"stride ({stride}, {stride})", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new L.Deconv2d(16, kernel, stride, pad));
        Assert.Contains($"L.Deconv2d(16, {kernel})", e.Message);
    }

    [Fact]
    public void BadSizesAndDTypeAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.Conv2d(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.Conv2d(2, 3, inChannels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.Deconv2d(-1, 3));
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => new L.Conv2d(2, 3, dtype: DType.Int64)).Message);
        Assert.Contains("Bool", Assert.Throws<ArgumentException>(() => new L.Deconv2d(2, 3, dtype: DType.Bool)).Message);
    }
}
