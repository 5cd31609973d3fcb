using System.Buffers.Binary;
using DeZero.Data;
using DeZero.Examples;
using DeZero.Plotting;

namespace DeZero.Tests.Examples;

/// <summary>The GAN and VAE examples trained for a step or two on random images, without the installed Fashion-MNIST.</summary>
[Collection("GlobalRandom")]
public sealed class GenerativeExampleTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-generative-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Eight random 28×28 "images" in [0, 1] with labels, as the examples' data sets hold them.
    static Dataset RandomImages()
    {
        var rng = new RandomState(1);
        return new Dataset(rng.Rand(8, 1, 28, 28).AsType(DType.Float32), NDArray.Zeros([8], DType.Int64));
    }

    // A PNG's width and height from its IHDR chunk, which always starts at byte 16.
    static (int width, int height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 24 && bytes[1..4].SequenceEqual("PNG"u8.ToArray()), $"{path} is not a PNG");
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    static void AssertFigure(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        Assert.Equal((Plots.DefaultWidth, Plots.DefaultHeight), PngSize(path));
    }

    [Fact]
    public void GanTrainsOnADatasetAndDrawsItsSamples()
    {
        RandomState.Global.Seed(0);
        var plot = Path.Combine(dir, "gan.png");
        var history = Gan.Run(epochs: 2, RandomImages(), plot, batchSize: 4, limit: 8);
        Assert.Equal(2, history.Count);
        foreach (var (g, d) in history)
        {
            Assert.True(double.IsFinite(g) && g > 0, $"generator loss {g}");
            Assert.True(double.IsFinite(d) && d > 0, $"discriminator loss {d}");
        }
        AssertFigure(plot);
    }

    [Fact]
    public void GanNetworksMapNoiseToImagesAndImagesToProbabilities()
    {
        RandomState.Global.Seed(0);
        var gen = Gan.Generator();
        var dis = Gan.Discriminator();
        var images = gen.Call(RandomState.Global.Randn(3, Gan.HiddenSize).AsType(DType.Float32)).Data;
        Assert.Equal([3, 1, 28, 28], images.Shape);
        var p = dis.Call(images).Data;
        Assert.Equal([3, 1], p.Shape);
        foreach (var v in images.ToArray<double>().Concat(p.ToArray<double>())) Assert.InRange(v, 0, 1);
    }

    [Fact]
    public void GanNetworksAreFloat32WithWeightsDrawnFromNormalTimesPoint02()
    {
        var (gen, dis) = Gan.Networks(new RandomState(0));
        foreach (var (key, p) in gen.NamedParams().Concat(dis.NamedParams()))
        {
            Assert.True(p.Data.DType == DType.Float32, $"{key} is {p.Data.DType}");
            if (key.EndsWith("/W"))
            {
                var w = p.Data.AsType(DType.Float64);
                double std = Math.Sqrt((double)(w * w).Mean());
                Assert.True(Math.Abs(std - 0.02) < 0.002, $"{key}: standard deviation {std}");
            }
        }
        Assert.Equal(8, gen.NamedParams().Concat(dis.NamedParams()).Count(e => e.Key.EndsWith("/W")));
    }

    [Fact]
    public void GanSkipsTheShortLastBatchAndRejectsDataWithNoFullBatch()
    {
        RandomState.Global.Seed(0);
        Assert.Single(Gan.Run(1, RandomImages(), plot: null, batchSize: 5));
        Assert.Throws<ArgumentException>(() => Gan.Run(1, RandomImages(), plot: null, batchSize: 16));
    }

    [Fact]
    public void RunRejectsANonPositiveEpochCount()
    {
        Assert.Throws<ArgumentException>(() => Gan.Run(0, RandomImages(), plot: null));
        Assert.Throws<ArgumentException>(() => Vae.Run(0, RandomImages(), plot: null));
    }

    [Fact]
    public void VaeTrainsOnADatasetAndDrawsSamplesReconstructionsAndTheManifold()
    {
        RandomState.Global.Seed(0);
        var plot = Path.Combine(dir, "vae.png");
        var history = Vae.Run(epochs: 1, RandomImages(), plot, batchSize: 4);
        var loss = Assert.Single(history);
        Assert.True(double.IsFinite(loss) && loss > 0, $"loss {loss}");
        AssertFigure(plot);
        AssertFigure(Path.Combine(dir, "vae-reconstruction.png"));
        AssertFigure(Path.Combine(dir, "vae-manifold.png"));
    }

    [Fact]
    public void VaeLossIsReconstructionCrossEntropyPlusKlDivergence()
    {
        RandomState.Global.Seed(0);
        var vae = new Vae.VAE(Vae.LatentSize);
        var x = RandomImages().Data[..2];
        using var _ = Config.NoGrad();
        vae.Call(x);  // creates the lazily shaped weights, which draw from RandomState.Global
        var stats = vae.Encoder.Call([x]);
        var (mean, logVar) = (stats[0].Data.AsType(DType.Float64), stats[1].Data.AsType(DType.Float64));
        RandomState.Global.Seed(5);
        var loss = (double)vae.Call(x).Data;

        RandomState.Global.Seed(5);
        var z = mean + NDArray.Exp(0.5 * logVar) * RandomState.Global.Randn(2, Vae.LatentSize);
        var y = vae.Decoder.Call(z.AsType(DType.Float32)).Data.AsType(DType.Float64).ToArray<double>();
        var t = x.AsType(DType.Float64).ToArray<double>();
        double bce = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double p = Math.Clamp(y[i], 1e-15, 0.999);
            bce -= t[i] * Math.Log(p) + (1 - t[i]) * Math.Log(1 - p);
        }
        double kl = 0.5 * (mean * mean + NDArray.Exp(logVar) - logVar - 1).Sum().ToScalar<double>();
        Assert.Equal((bce + kl) / 2, loss, 1e-5 * loss);
    }

    [Fact]
    public void VaeSamplingDrawsFromTheEncodedNormal()
    {
        var mean = new Variable(NDArray.Full([20000, 1], 1.0));
        var logVar = new Variable(NDArray.Full([20000, 1], Math.Log(4.0)));
        var z = Vae.Encoder.Sampling(mean, logVar, new RandomState(0));
        var values = z.Data.ToArray<double>();
        double avg = values.Average(), std = Math.Sqrt(values.Select(v => (v - avg) * (v - avg)).Average());
        Assert.Equal(1.0, avg, 0.05);
        Assert.Equal(2.0, std, 0.05);
        z.Sum().Backward();
        Assert.NotNull(mean.Grad);
        Assert.NotNull(logVar.Grad);
    }

    // Expected values from Python's statistics.NormalDist().inv_cdf.
    [Theory]
    [InlineData(0.05, -1.6448536269514726)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8, 0.8416212335729144)]
    [InlineData(0.95, 1.6448536269514715)]
    [InlineData(0.97, 1.8807936081512504)]
    public void NormalQuantileMatchesTheInverseNormalCdf(double p, double expected) =>
        Assert.Equal(expected, Vae.NormalQuantile(p), 1e-8);

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.99)]
    [InlineData(double.NaN)]
    public void NormalQuantileRejectsProbabilitiesOutsideItsRange(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Vae.NormalQuantile(p));

    [Fact]
    public void TakeKeepsTheFirstImages()
    {
        var set = RandomImages();
        var first = Generative.Take(set, 3);
        Assert.Equal(3, first.Count);
        Assert.Equal(set.Data[..3].ToArray<float>(), first.Data.ToArray<float>());
        Assert.Same(set, Generative.Take(set, null));
        Assert.Same(set, Generative.Take(set, 100));
        Assert.Throws<ArgumentException>(() => Generative.Take(set, 0));
    }
}
