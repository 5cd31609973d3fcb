using System.Text.Json;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>L.EmbedID against the Python DeZero (tests/data/layers2.json): float64 weights, lookup and gradient.</summary>
[Collection("GlobalRandom")]
public class EmbedIDLayerTests
{
    static readonly JsonElement Ref = Reference.Load("layers2");

    static NDArray R(string name) => Reference.Array(Ref.GetProperty("embed").GetProperty(name));

    [Fact]
    public void MatchesTheBooksWeightsLookupAndGradient()
    {
        RandomState.Global.Seed(0);
        var emb = new L.EmbedID(5, 3);
        Reference.AssertClose(R("W"), emb.W.Data, rtol: 0, what: "W");
        Assert.Equal(DType.Float64, emb.W.Data.DType);
        var c = RandomState.Global.Rand(2, 2, 3);
        Reference.AssertClose(R("c"), c, rtol: 0, what: "c");

        var y = emb.Call(R("ids"));
        F.Sum(y * c).Backward();
        Reference.AssertClose(R("y"), y.Data, rtol: 0, what: "y");
        Reference.AssertClose(R("gW"), emb.W.Grad!.Data, 1e-15, what: "gW");
        Assert.Equal(["W"], emb.NamedParams().Select(e => e.Key));
    }

    [Fact]
    public void AGivenRandomStateReplacesTheGlobalOne()
    {
        RandomState.Global.Seed(2);
        Reference.AssertClose(new L.EmbedID(4, 2).W.Data, new L.EmbedID(4, 2, new RandomState(2)).W.Data, rtol: 0);
    }

    [Fact]
    public void BadSizesAndIdsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.EmbedID(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new L.EmbedID(3, -1));
        var emb = new L.EmbedID(3, 2, new RandomState(0));
        Assert.Throws<IndexOutOfRangeException>(() => emb.Call(NDArray.FromArray(new long[] { 0, 3 })));
        Assert.Throws<ArgumentException>(() => emb.Call(NDArray.FromArray(new[] { 0.0, 1.0 })));
    }
}
