using System.Text.Json;
using DeZero.IO;
using DeZero.Layers;
using DeZero.Models;
using F = DeZero.Functions;

namespace DeZero.Tests.Models;

/// <summary>
/// VGG16, ResNet and SqueezeNet against the Python DeZero (tests/data/layers2_zoo.json): keys and parameter shapes like the
/// book's, seeded forward values of ResNet50 and SqueezeNet, and loading weights from a local .npz. The VGG16 forward
/// pass is tagged <c>Category=Slow</c> (filter it out with <c>--filter "Category!=Slow"</c>).
/// </summary>
[Collection("GlobalRandom")]
public class ZooTests
{
    static readonly JsonElement Ref = Reference.Load("layers2_zoo");

    static NDArray R(string section, string name) => Reference.Array(Ref.GetProperty(section).GetProperty(name));

    static Dictionary<string, int[]> RefShapes(string section) =>
        Ref.GetProperty(section).GetProperty("shapes").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray());

    static void AssertShapes(Dictionary<string, int[]> expected, Layer model)
    {
        var actual = model.NamedParams().ToDictionary(e => e.Key, e => e.Param.Data.Shape);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, shape) in expected) Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected ({string.Join(", ", shape)}), got ({string.Join(", ", actual[key])})");
    }

    static string[] Keys(Layer model) => model.NamedParams().Select(e => e.Key).Order().ToArray();

    // Seeded like the generator: a training-mode forward of a (2, 3, 64, 64) batch, then a test-mode one.
    static (Variable y, Variable yTest) Run(Model model)
    {
        var x = Batch();
        var y = model.Call(x);
        using (Config.TestMode()) return (y, model.Call(x));
    }

    static NDArray Batch()
    {
        RandomState.Global.Seed(0);
        return RandomState.Global.Rand(2, 3, 64, 64).AsType(DType.Float32);
    }

    [Fact]
    public void Vgg16HasTheBooksKeys()
    {
        var vgg = new VGG16();
        Assert.Equal(RefShapes("vgg16").Keys.Order(), Keys(vgg));
        Assert.Equal("conv1_1/W", vgg.NamedParams().First().Key);
        Assert.Equal("fc8/b", vgg.NamedParams().Last().Key);
    }

    [Fact]
    public void Vgg16WeightShapesAreTheBooks()
    {
        var expected = RefShapes("vgg16");
        Assert.Equal(expected.Keys.Order(), VGG16.WeightShapes.Keys.Order());
        foreach (var (key, shape) in expected) Assert.Equal(shape, VGG16.WeightShapes[key]);
    }

    [Fact]
    public void Vgg16ChecksTheShapesOfLazilySizedWeightsWhenLoading()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zoo-{Guid.NewGuid():N}.npz");
        try
        {
            // Right biases, which load checks; a wrong conv3_1 kernel and fc7 weight, which only VGG16 knows.
            var arrays = VGG16.WeightShapes.ToDictionary(e => e.Key, e => NDArray.Zeros(e.Key.EndsWith("/b") ? e.Value : [2, 2], DType.Float32));
            Npz.Save(path, arrays);
            var e = Assert.Throws<InvalidDataException>(() => new VGG16(pretrained: true, weightsPath: path));
            Assert.Contains(path, e.Message);
            Assert.Contains("'conv3_1/W' has shape (2, 2) in the file but VGG16 needs (256, 128, 3, 3)", e.Message);
            Assert.Contains("'fc7/W' has shape (2, 2) in the file but VGG16 needs (4096, 4096)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Drawing VGG16's 138 M weights and one forward pass take about 5 s.
    [Fact]
    [Trait("Category", "Slow")]
    public void Vgg16ClassifiesA224x224ImageAndHasTheBooksParameterShapes()
    {
        var vgg = new VGG16();
        RandomState.Global.Seed(0);
        var x = RandomState.Global.Rand(1, 3, 224, 224).AsType(DType.Float32);
        Variable y;
        using (Config.TestMode())
        using (Config.NoGrad())
            y = vgg.Call(x);
        Assert.Equal([1, 1000], y.Shape);
        Assert.Equal(DType.Float32, y.DType);
        AssertShapes(RefShapes("vgg16"), vgg);
    }

    [Fact]
    public void ResNet50MatchesTheBooksForwardInTrainingAndTestMode()
    {
        var resnet = new ResNet50();
        Assert.Equal(50, resnet.NLayers);
        var (y, yTest) = Run(resnet);
        AssertShapes(RefShapes("resnet50"), resnet);
        // 50 float32 layers with batch statistics of two images: summation order alone moves the output by ~2e-4 (outputs are of order 1).
        Reference.AssertClose(R("resnet50", "y"), y.Data, 1e-3, atol: 1e-3, what: "y");
        Reference.AssertClose(R("resnet50", "y_test"), yTest.Data, 1e-3, atol: 1e-3, what: "y_test");
        var named = resnet.NamedParams().ToDictionary(e => e.Key, e => e.Param);
        foreach (var stat in Ref.GetProperty("resnet50").GetProperty("stats").EnumerateObject())
            Reference.AssertClose(Reference.Array(stat.Value), named[stat.Name].Data, 1e-4, atol: 1e-6, what: stat.Name);
    }

    [Fact]
    public void DeeperResNetsHaveTheBooksKeys()
    {
        string[] Expected(string name) => Ref.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).Order().ToArray();
        Assert.Equal(Expected("resnet101_keys"), Keys(new ResNet101()));
        Assert.Equal(Expected("resnet152_keys"), Keys(new ResNet152()));
        Assert.Equal(Expected("resnet152_keys"), Keys(new ResNet()));
        Assert.Equal(101, new ResNet(101).NLayers);
    }

    [Fact]
    public void SqueezeNetMatchesAReferenceBuiltOnThePythonDeZero()
    {
        var net = new SqueezeNet();
        var (y, yTest) = Run(net);
        Assert.Equal([2, 1000], y.Shape);
        AssertShapes(RefShapes("squeezenet"), net);
        // SqueezeNet 1.0 has 1 248 424 parameters (torchvision's squeezenet1_0).
        Assert.Equal(1_248_424, net.Params().Sum(p => p.Size));
        Reference.AssertClose(R("squeezenet", "y"), y.Data, 1e-4, atol: 1e-8, what: "y");
        Reference.AssertClose(R("squeezenet", "y_test"), yTest.Data, 1e-4, atol: 1e-8, what: "y_test");
    }

    [Fact]
    public void FireConcatenatesItsExpansionsAndSplitsTheGradient()
    {
        RandomState.Global.Seed(0);
        var x = new Variable(RandomState.Global.Rand(2, 3, 4, 4).AsType(DType.Float32));
        var fire = new Fire(2, 3, 4);
        var y = fire.Call(x);
        Assert.Equal([2, 7, 4, 4], y.Shape);
        F.Sum(y * RandomState.Global.Rand(y.Shape).AsType(DType.Float32)).Backward();
        Reference.AssertClose(R("fire", "y"), y.Data, 1e-5, atol: 1e-6, what: "y");
        Reference.AssertClose(R("fire", "gx"), x.Grad!.Data, 1e-5, atol: 1e-6, what: "gx");
        var named = fire.NamedParams().ToDictionary(e => e.Key, e => e.Param);
        var grads = Ref.GetProperty("fire").GetProperty("grads").EnumerateObject().ToList();
        Assert.Equal(grads.Select(g => g.Name).Order(), named.Keys.Order());
        foreach (var g in grads) Reference.AssertClose(Reference.Array(g.Value), named[g.Name].Grad!.Data, 1e-5, atol: 1e-6, what: g.Name);
    }

    [Fact]
    public void PretrainedSqueezeNetLoadsEveryParameterFromALocalNpz()
    {
        var source = new SqueezeNet();
        var (_, expected) = Run(source);
        string path = Path.Combine(Path.GetTempPath(), $"squeezenet-{Guid.NewGuid():N}.npz");
        try
        {
            Npz.Save(path, source.NamedParams().ToDictionary(e => e.Key, e => e.Param.Data));
            var loaded = new SqueezeNet(pretrained: true, weightsPath: path);
            foreach (var ((key, a), (_, b)) in source.NamedParams().Zip(loaded.NamedParams()))
                Assert.True(a.Data.Shape.SequenceEqual(b.Data.Shape) && a.Data.ToArray<float>().SequenceEqual(b.Data.ToArray<float>()), key);
            Variable y;
            using (Config.TestMode()) y = loaded.Call(Batch());
            Reference.AssertClose(expected.Data, y.Data, rtol: 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Vgg16WithoutTopHasOnlyTheConvolutionsAndReturnsTheirFeatures()
    {
        var vgg = new VGG16(includeTop: false);
        Assert.False(vgg.IncludeTop);
        Assert.True(new VGG16().IncludeTop);
        Assert.Equal(RefShapes("vgg16").Keys.Where(k => k.StartsWith("conv", StringComparison.Ordinal)).Order(), Keys(vgg));
        RandomState.Global.Seed(0);
        var y = vgg.Call(RandomState.Global.Rand(2, 3, 64, 32).AsType(DType.Float32));
        Assert.Equal([2, 512, 2, 1], y.Shape);
    }

    // The convolutions' weights in the book's shapes are 56 MiB: writing and reading them takes about a second.
    [Fact]
    public void PretrainedVgg16WithoutTopLoadsTheConvolutionsAndNeverReadsTheClassifier()
    {
        var source = new VGG16(includeTop: false);
        RandomState.Global.Seed(1);
        var x = RandomState.Global.Rand(1, 3, 32, 32).AsType(DType.Float32);
        var expected = source.Call(x).Data;
        string path = Path.Combine(Path.GetTempPath(), $"vgg16-features-{Guid.NewGuid():N}.npz");
        try
        {
            var arrays = source.NamedParams().ToDictionary(e => e.Key, e => e.Param.Data);
            // A classifier that cannot be loaded: fc6/W is not even a weight of VGG16's shape.
            arrays["fc6/W"] = NDArray.Zeros([1, 1], DType.Float32);
            Npz.Save(path, arrays);
            var loaded = new VGG16(pretrained: true, weightsPath: path, includeTop: false);
            Reference.AssertClose(expected, loaded.Call(x).Data, rtol: 0);
            Assert.Contains("missing 'fc7/W'", Assert.Throws<InvalidDataException>(() => new VGG16(pretrained: true, weightsPath: path)).Message);

            arrays["conv5_3/b"] = NDArray.Zeros([3], DType.Float32);
            Npz.Save(path, arrays);
            var e = Assert.Throws<InvalidDataException>(() => new VGG16(pretrained: true, weightsPath: path, includeTop: false));
            Assert.Contains("'conv5_3/b' has shape (3,) in the file but (512,) in the model", e.Message);
            Assert.DoesNotContain("'fc", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PretrainedWeightsNeedALocalPathWithEveryKeyAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new VGG16(pretrained: true));
        Assert.Contains("VGG16", e.Message);
        Assert.Contains("weightsPath", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ResNet50(weightsPath: "resnet50.npz"));
        Assert.Contains("ResNet50", e.Message);
        Assert.Contains("pretrained", e.Message);

        string path = Path.Combine(Path.GetTempPath(), $"zoo-{Guid.NewGuid():N}.npz");
        try
        {
            Npz.Save(path, new Dictionary<string, NDArray> { ["conv1_1/W"] = NDArray.Zeros(64, 3, 3, 3) });
            var d = Assert.Throws<InvalidDataException>(() => new VGG16(pretrained: true, weightsPath: path));
            Assert.Contains("VGG16", d.Message);
            Assert.Contains("'conv1_1/b'", d.Message);
            Assert.Contains(path, d.Message);
            d = Assert.Throws<InvalidDataException>(() => new ResNet101(pretrained: true, weightsPath: path));
            Assert.Contains("ResNet101", d.Message);
            Assert.Contains("'conv1/W'", d.Message);

            var net = new SqueezeNet();
            // W shapes are not known before the first call, so only the biases' shapes can be checked.
            var arrays = net.NamedParams().ToDictionary(p => p.Key,
                p => NDArray.Zeros(p.Key == "conv10/b" ? [999] : p.Param.HasData ? p.Param.Data.Shape : [1]));
            Npz.Save(path, arrays);
            d = Assert.Throws<InvalidDataException>(() => new SqueezeNet(pretrained: true, weightsPath: path));
            Assert.Contains("'conv10/b'", d.Message);
            Assert.Contains("(999,)", d.Message);
            Assert.Contains("(1000,)", d.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadResNetConfigurationsAreRejected()
    {
        Assert.Contains("34", Assert.Throws<ArgumentException>(() => new ResNet(34)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BuildingBlock(0, 64, 64, 256, 1));
        var block = new BottleneckA(8, 4, 16, stride: 2);
        var e = Assert.Throws<ArgumentException>(() => block.Call(NDArray.Ones([1, 3, 8, 8], DType.Float32)));
        Assert.Contains("BottleneckA", e.Message);
        Assert.Contains("(1, 3, 8, 8)", e.Message);
    }

    [Fact]
    public void BuildingBlockIsABottleneckAThenBottleneckBs()
    {
        var block = new BuildingBlock(3, 4, 2, 8, 2);
        Assert.Equal(["a", "b1", "b2"], block.NamedParams().Select(e => e.Key.Split('/')[0]).Distinct());
        Assert.Equal([1, 8, 3, 3], block.Call(NDArray.Ones([1, 4, 6, 6], DType.Float32)).Shape);
        var shapes = block.NamedParams().ToDictionary(e => e.Key, e => e.Param.Data.Shape);
        Assert.Equal([8, 4, 1, 1], shapes["a/conv4/W"]);
        Assert.Equal([2, 8, 1, 1], shapes["b2/conv1/W"]);
        Assert.Equal([8, 2, 1, 1], shapes["b2/conv3/W"]);
        Assert.Equal(["conv1/W", "bn1/avg_mean", "bn1/avg_var", "bn1/gamma", "bn1/beta"],
            block.NamedParams().Select(e => e.Key).Where(k => k.StartsWith("b1/")).Take(5).Select(k => k[3..]));
    }

    // In test mode fresh batch norms scale by 1/sqrt(1 + eps), so the block can be recomputed from F.Conv2d.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BottleneckAPutsTheStrideWhereConfigured(bool downsampleFb)
    {
        RandomState.Global.Seed(0);
        var x = RandomState.Global.Rand(1, 4, 7, 7).AsType(DType.Float32);
        var block = new BottleneckA(4, 3, 6, stride: 2, downsampleFb);
        Variable y;
        using (Config.TestMode()) y = block.Call(x);

        var w = block.NamedParams().ToDictionary(e => e.Key, e => e.Param);
        double s = 1 / Math.Sqrt(1 + 2e-5);
        var (s1, s3) = downsampleFb ? (1, 2) : (2, 1);
        var h1 = F.ReLU(F.Conv2d(x, w["conv1/W"], null, s1, 0) * s);
        h1 = F.ReLU(F.Conv2d(h1, w["conv2/W"], null, s3, 1) * s);
        h1 = F.Conv2d(h1, w["conv3/W"], null, 1, 0) * s;
        var expected = F.ReLU(h1 + F.Conv2d(x, w["conv4/W"], null, 2, 0) * s);
        Assert.Equal([1, 6, 4, 4], y.Shape);
        Reference.AssertClose(expected.Data, y.Data, 1e-5, atol: 1e-6);
    }
}
