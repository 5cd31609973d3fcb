using System.Text.Json;
using DeZero.Data;

namespace DeZero.Tests.Data;

/// <summary>Toy datasets and data loaders against the book's Python DeZero (tools/gen_data_ref.py → tests/data/data.json).</summary>
[Collection("GlobalRandom")]
public class DataTests
{
    static JsonElement Ref(string section) => Reference.Load("data").GetProperty(section);

    static NDArray Arr(JsonElement e, string name) => Reference.Array(e.GetProperty(name));

    static void AssertSame(NDArray expected, NDArray actual, string what) => Reference.AssertClose(expected, actual, 0, 0, what);

    // The book's data set over 10 examples of 3 values, labels i % 3.
    static Dataset Small(Func<NDArray, NDArray>? transform = null) =>
        new(NDArray.Arange(30).AsType(DType.Float64).Reshape(10, 3) * 0.5, NDArray.Arange(10) % 3L, transform);

    static void AssertEpochs(JsonElement expected, DataLoader loader)
    {
        var epochs = expected.GetProperty("epochs").EnumerateArray().ToArray();
        for (int e = 0; e < epochs.Length; e++)
        {
            var batches = epochs[e].EnumerateArray().ToArray();
            var got = loader.ToList();
            Assert.Equal(batches.Length, got.Count);
            for (int b = 0; b < batches.Length; b++)
            {
                AssertSame(Arr(batches[b], "x"), got[b].x, $"epoch {e} batch {b} x");
                AssertSame(Arr(batches[b], "t"), got[b].t, $"epoch {e} batch {b} t");
            }
        }
        AssertSame(Arr(expected, "after"), RandomState.Global.Rand(2), "global draws after the epochs");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SpiralMatchesTheBookAndReseedsTheGlobalGenerator(bool train)
    {
        var r = Ref("spiral").GetProperty(train ? "train" : "test");
        RandomState.Global.Seed(123);
        var s = new Spiral(train);
        // Bit-identical: Math.Sin/Cos and NumPy's SIMD sin/cos may differ in the last float64 bit, but not after rounding to float32.
        AssertSame(Arr(r, "data"), s.Data, "spiral points");
        AssertSame(Arr(r, "label"), s.Label!, "spiral labels");
        AssertSame(Arr(r, "after"), RandomState.Global.Rand(3), "global draws after Spiral");
        Assert.Equal(300, s.Count);
        Assert.Equal(train, s.Train);
    }

    [Fact]
    public void GetSpiralGivesTheDatasetArrays()
    {
        var (x, t) = Spiral.GetSpiral(train: false);
        var s = new Spiral(train: false);
        AssertSame(x, s.Data, "x");
        AssertSame(t, s.Label!, "t");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SinCurveMatchesTheBook(bool train)
    {
        var r = Ref("sin_curve").GetProperty(train ? "train" : "test");
        RandomState.Global.Seed(r.GetProperty("seed").GetInt64());
        var s = new SinCurve(train);
        // NDArray.Sin/Cos and NumPy's SIMD sin/cos agree to a few ulp, not bit for bit.
        Reference.AssertClose(Arr(r, "data"), s.Data, 1e-13, 1e-15, "SinCurve data");
        Reference.AssertClose(Arr(r, "label"), s.Label!, 1e-13, 1e-15, "SinCurve label");
        AssertSame(Arr(r, "after"), RandomState.Global.Rand(2), "global draws after SinCurve");
    }

    [Fact]
    public void ShufflingLoaderGivesTheBooksBatchesOverTwoEpochs()
    {
        var r = Ref("loaders").GetProperty("shuffle");
        RandomState.Global.Seed(r.GetProperty("seed").GetInt64());
        var loader = new DataLoader(Small(), r.GetProperty("batch").GetInt32());
        Assert.Equal(3, loader.MaxIter);
        AssertEpochs(r, loader);
    }

    [Fact]
    public void PlainLoaderKeepsTheOrderAndDrawsNothing()
    {
        var r = Ref("loaders").GetProperty("no_shuffle");
        RandomState.Global.Seed(r.GetProperty("seed").GetInt64());
        AssertEpochs(r, new DataLoader(Small(), r.GetProperty("batch").GetInt32(), shuffle: false));
    }

    [Fact]
    public void LoaderAppliesTheTransformToEveryExample()
    {
        var r = Ref("loaders").GetProperty("transform");
        RandomState.Global.Seed(r.GetProperty("seed").GetInt64());
        AssertEpochs(r, new DataLoader(Small(x => x * 2.0 + 1.0), r.GetProperty("batch").GetInt32()));
    }

    [Fact]
    public void Step50SequenceOfDrawsMatchesTheBook()
    {
        var r = Ref("loaders").GetProperty("step50");
        RandomState.Global.Seed(99);
        var trainSet = new Spiral(train: true);
        var testSet = new Spiral(train: false);
        var trainLoader = new DataLoader(trainSet, 30);
        var testLoader = new DataLoader(testSet, 30, shuffle: false);
        var first = r.GetProperty("first").EnumerateArray().ToArray();
        int k = 0;
        foreach (var (x, t) in trainLoader)
        {
            AssertSame(Arr(first[k], "x"), x, $"batch {k} x");
            AssertSame(Arr(first[k], "t"), t, $"batch {k} t");
            if (++k == first.Length) break;
        }
        Assert.Equal(first.Length, trainLoader.Iteration);
        Assert.Equal(r.GetProperty("rest").GetInt32(), trainLoader.Count());
        Assert.Equal(0, trainLoader.Iteration);
        var testT = r.GetProperty("test_t").EnumerateArray().Select(Reference.Array).ToArray();
        var gotT = testLoader.Select(b => b.t).ToArray();
        Assert.Equal(testT.Length, gotT.Length);
        for (int i = 0; i < testT.Length; i++) AssertSame(testT[i], gotT[i], $"test batch {i} t");
        AssertSame(Arr(r, "after"), RandomState.Global.Rand(2), "global draws after the epoch");
    }

    [Fact]
    public void SeqDataLoaderWalksTheSinCurveLikeTheBook()
    {
        var r = Ref("seq_loaders").GetProperty("sin");
        RandomState.Global.Seed(r.GetProperty("seed").GetInt64());
        var loader = new SeqDataLoader(new SinCurve(train: true), r.GetProperty("batch").GetInt32());
        var batches = loader.ToList();
        Assert.Equal(r.GetProperty("count").GetInt32(), batches.Count);
        Assert.Equal(batches.Count, loader.MaxIter);
        var expected = r.GetProperty("first").EnumerateArray().Append(r.GetProperty("last")).ToArray();
        var got = new[] { batches[0], batches[1], batches[^1] };
        for (int i = 0; i < expected.Length; i++)
        {
            Reference.AssertClose(Arr(expected[i], "x"), got[i].x, 1e-13, 1e-15, $"batch {i} x");
            Reference.AssertClose(Arr(expected[i], "t"), got[i].t, 1e-13, 1e-15, $"batch {i} t");
        }
    }

    [Fact]
    public void SeqDataLoaderOnSmallData()
    {
        var r = Ref("seq_loaders").GetProperty("small");
        RandomState.Global.Seed(5);
        var expectedAfter = new RandomState(5).Rand(2);
        var data = NDArray.Arange(10).AsType(DType.Float64).Reshape(10, 1);
        var loader = new SeqDataLoader(new Dataset(data, data + 100.0), r.GetProperty("batch").GetInt32());
        var epoch = r.GetProperty("epochs")[0].EnumerateArray().ToArray();
        var got = loader.ToList();
        Assert.Equal(epoch.Length, got.Count);
        for (int b = 0; b < epoch.Length; b++)
        {
            AssertSame(Arr(epoch[b], "x"), got[b].x, $"batch {b} x");
            AssertSame(Arr(epoch[b], "t"), got[b].t, $"batch {b} t");
        }
        AssertSame(expectedAfter, RandomState.Global.Rand(2), "SeqDataLoader draws nothing");
    }

    [Fact]
    public void ResetRewindsAndReshuffles()
    {
        RandomState.Global.Seed(11);
        var check = new RandomState(11);
        var ds = Small();
        var loader = new DataLoader(ds, 4);
        var order1 = check.Permutation(10).ToArray<long>();
        var (x0, _) = loader.First();
        Assert.Equal(1, loader.Iteration);
        Assert.Equal(order1.Take(4).Select(i => 0.5 * 3 * i), x0.ToArray<double>().Where((_, j) => j % 3 == 0));
        loader.Reset();
        Assert.Equal(0, loader.Iteration);
        var order2 = check.Permutation(10).ToArray<long>();
        var all = loader.ToList();
        Assert.Equal(order2.Select(i => 0.5 * 3 * i), all.SelectMany(b => b.x.ToArray<double>().Where((_, j) => j % 3 == 0)));
        Assert.Equal(new[] { 4, 4, 2 }, all.Select(b => b.x.Shape[0]));
    }
}
