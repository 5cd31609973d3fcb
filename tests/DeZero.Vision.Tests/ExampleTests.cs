using DeZero.Examples;
using DeZero.IO;
using DeZero.Models;

namespace DeZero.Vision.Tests;

/// <summary>
/// The VGG16 examples (vgg16-classify, grad-cam, style-transfer) on a small synthetic image with random weights at a
/// reduced input size (64, or 32 for style transfer), and their errors for missing or mismatched weight files.
/// </summary>
[Collection("GlobalRandom")]
public sealed class ExampleTests(ExampleTests.RandomVgg vgg) : IDisposable, IClassFixture<ExampleTests.RandomVgg>
{
    /// <summary>One VGG16 with random weights (seed 0) for all tests: drawing its 37 million weights takes seconds.</summary>
    public sealed class RandomVgg
    {
        public RandomVgg() => RandomState.Global.Seed(0);

        public VggFeatures Model { get; } = new();
    }

    readonly string dir = Directory.CreateTempSubdirectory("dezero-vision-examples-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // A 48×40 picture: a warm square on a cool gradient.
    static Image Picture(bool invert = false)
    {
        var x = new double[3 * 40 * 48];
        for (int y = 0; y < 40; y++)
            for (int i = 0; i < 48; i++)
            {
                bool inside = y is >= 10 and < 30 && i is >= 14 and < 34;
                double[] rgb = inside ? [230, 120, 40] : [20, 60 + y * 2, 100 + i * 3];
                for (int c = 0; c < 3; c++) x[(c * 40 + y) * 48 + i] = invert ? 255 - rgb[c] : rgb[c];
            }
        return Image.FromArray(new NDArray(x, 3, 40, 48));
    }

    [Fact]
    public void Vgg16ClassifyGivesFiveLabelsWithProbabilities()
    {
        var top = Vgg16Classify.Classify(vgg.Model, Picture(), size: 64);
        Assert.Equal(5, top.Length);
        var labels = ImageNet.Labels();
        foreach (var (label, p) in top)
        {
            Assert.Contains(label, labels);
            Assert.InRange(p, 0.0, 1.0);
        }
        Assert.Equal(top.Select(e => e.Probability).OrderDescending(), top.Select(e => e.Probability));
        Assert.True(top.Sum(e => e.Probability) <= 1 + 1e-6);
    }

    [Fact]
    public void GradCamDrawsAHeatMapOverTheImage()
    {
        var image = Picture();
        var (heat, classId) = GradCam.HeatMap(vgg.Model, image, size: 64);
        Assert.Equal([4, 4], heat.Shape); // conv5_3 sees the input at 1/16
        Assert.InRange(classId, 0, 999);
        Assert.Equal(1.0, (double)heat.Max(), 6);
        Assert.True((double)heat.Min() >= 0);
        var overlay = GradCam.Overlay(image, heat);
        Assert.Equal((image.Size, "RGB"), (overlay.Size, overlay.Mode));
        // 0.4 × the heat colours are added to the image, so no pixel gets darker and some get brighter.
        var diff = overlay.ToArray() - image.ToArray();
        Assert.True((double)diff.Min() >= 0);
        Assert.True((double)diff.Max() > 0);
        var path = Path.Combine(dir, "grad_cam.png");
        overlay.Save(path);
        Assert.Equal(overlay.ToArray().ToArray<float>(), Image.Load(path).ToArray().ToArray<float>());
    }

    [Fact]
    public void StyleTransferLowersTheLossAndWritesPictures()
    {
        var log = new StringWriter();
        var prefix = Path.Combine(dir, "style");
        var (losses, files) = StyleTransfer.Transfer(vgg.Model, Picture(), Picture(invert: true), iterations: 3, every: 2, prefix, log, size: 32);
        Assert.Equal(3, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0, $"loss {l}"));
        Assert.True(losses[^1] < losses[0], $"losses {string.Join(", ", losses)}");
        Assert.Equal([prefix + "_0.png", prefix + "_2.png"], files);
        foreach (var f in files) Assert.Equal((48, 40), Image.Load(f).Size);
        Assert.StartsWith("0 loss: ", log.ToString());
        Assert.Contains("2 loss: ", log.ToString());
    }

    [Fact]
    public void ExtractGivesTheElevenLayersOfTheBooksExtract()
    {
        Dictionary<string, Variable> features;
        using (Config.NoGrad())
            features = vgg.Model.Extract(VggFeatures.Input(Picture(), 32), averagePooling: true);
        Assert.Equal(["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv4_1", "conv5_1", "conv5_2", "conv5_3"], features.Keys);
        Assert.Equal([1, 64, 32, 32], features["conv1_1"].Shape);
        Assert.Equal([1, 512, 2, 2], features["conv5_3"].Shape);
    }

    [Fact]
    public void DeprocessUndoesPreprocessWithoutResampling()
    {
        var image = Picture();
        var x = VGG16.Preprocess(image, null).ExpandDims(0);
        var back = StyleTransfer.Deprocess(x, image.Size);
        Assert.Equal(image.ToArray().ToArray<float>(), back.ToArray().ToArray<float>());
    }

    [Theory]
    [InlineData("vgg16-classify")]
    [InlineData("grad-cam")]
    [InlineData("style-transfer")]
    public void WithoutWeightsEachExampleSaysWhichFileItNeeds(string name)
    {
        var path = Path.Combine(dir, "cat.png");
        Picture().Save(path);
        var (example, args) = Catalog.Parse(name == "style-transfer" ? [name, path, path] : [name, path]);
        var e = Assert.Throws<UsageException>(() => example.Run(args));
        Assert.Contains("--weights", e.Message);
        Assert.Contains("vgg16.npz", e.Message);
        Assert.Contains("conv1_1/W (64, 3, 3, 3)", e.Message);
        Assert.Contains("fc6/W (25088, 4096)", e.Message);
        Assert.Contains("fc8/b (1000)", e.Message);
    }

    [Fact]
    public void StyleTransferLoadsNoClassifierAndAModelWithoutOneCannotClassify()
    {
        var image = Path.Combine(dir, "cat.png");
        Picture().Save(image);
        // The convolutions' keys alone, one of them mis-shaped: style transfer asks for no fc key, grad-cam for all.
        var arrays = VGG16.WeightShapes.Where(e => e.Key.StartsWith("conv", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => NDArray.Zeros(e.Key == "conv1_1/W" ? [1, 1] : e.Key.EndsWith("/b") ? e.Value : [e.Value[0], 1, 1, 1], DType.Float32));
        var weights = Path.Combine(dir, "vgg16-conv.npz");
        Npz.Save(weights, arrays);
        var e = Assert.Throws<InvalidDataException>(() => StyleTransfer.Run(image, image, weights, 1, 1, Path.Combine(dir, "st")));
        Assert.Contains("'conv1_1/W' has shape (1, 1) in the file but VggFeatures needs (64, 3, 3, 3)", e.Message);
        Assert.DoesNotContain("'fc", e.Message);
        Assert.Contains("missing 'fc6/W'", Assert.Throws<InvalidDataException>(() => GradCam.Run(image, weights, Path.Combine(dir, "cam.png"))).Message);

        var features = new VggFeatures(includeTop: false);
        Assert.False(features.IncludeTop);
        var conv5 = features.Extract(VggFeatures.Input(Picture(), 32))["conv5_3"];
        Assert.Contains("without its classifier", Assert.Throws<InvalidOperationException>(() => features.Classify(conv5)).Message);
    }

    [Fact]
    public void AWeightsFileThatDoesNotFitVgg16IsNamedWithKeyAndShapes()
    {
        var image = Path.Combine(dir, "cat.png");
        Picture().Save(image);
        // Every key of the book's file, with the right biases but a wrong kernel for conv2_1 and a wrong fc6.
        var arrays = VGG16.WeightShapes.ToDictionary(e => e.Key, e => e.Key.EndsWith("/b") ? NDArray.Zeros(e.Value, DType.Float32) : NDArray.Zeros([1, 1], DType.Float32));
        arrays["conv1_1/W"] = NDArray.Zeros([64, 3, 3, 3], DType.Float32);
        var weights = Path.Combine(dir, "vgg16.npz");
        Npz.Save(weights, arrays);
        var e = Assert.Throws<InvalidDataException>(() => Vgg16Classify.Run(image, weights));
        Assert.Contains(weights, e.Message);
        Assert.Contains("'conv2_1/W' has shape (1, 1) in the file but VggFeatures needs (128, 64, 3, 3)", e.Message);
        Assert.Contains("'fc6/W' has shape (1, 1) in the file but VggFeatures needs (25088, 4096)", e.Message);
        Assert.DoesNotContain("conv1_1/W", e.Message);

        arrays.Remove("fc8/b");
        Npz.Save(weights, arrays);
        Assert.Contains("missing 'fc8/b'", Assert.Throws<InvalidDataException>(() => GradCam.Run(image, weights, Path.Combine(dir, "cam.png"))).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => StyleTransfer.Run(image, image, Path.Combine(dir, "none.npz"), 1, 1, Path.Combine(dir, "st"))).Message);
        Assert.Contains("--iterations must be a positive integer", Assert.Throws<UsageException>(() => Catalog.Parse(["style-transfer", image, image, "--iterations", "0"])).Message);
        Assert.Contains("missing STYLE", Assert.Throws<UsageException>(() => Catalog.Parse(["style-transfer", image])).Message);
    }
}
