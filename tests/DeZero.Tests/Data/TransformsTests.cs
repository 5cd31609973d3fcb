using System.Text.Json;
using DeZero.Data;

namespace DeZero.Tests.Data;

/// <summary>Transforms against the book's dezero.transforms (tools/gen_data_ref.py → tests/data/data.json).</summary>
public class TransformsTests
{
    static JsonElement Ref => Reference.Load("data").GetProperty("transforms");

    static NDArray Arr(string name) => Reference.Array(Ref.GetProperty(name));

    // The book's uint8 images held as float32, as the MNIST and CIFAR10 datasets hold them.
    static NDArray Images => Arr("image").AsType(DType.Float32);

    static NDArray Item(NDArray a, int i) => new Dataset(a)[i].x;

    [Fact]
    public void MnistDefaultTransformGivesTheBooksFloat32Values()
    {
        var expected = Ref.GetProperty("mnist_default").EnumerateArray().Select(Reference.Array).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Reference.AssertClose(expected[i], MNIST.DefaultTransform()(Item(Images, i)), 0, 0, $"image {i}");
            Reference.AssertClose(expected[i], Transforms.Compose(Transforms.Flatten(), Transforms.ToFloat(), Transforms.Normalize(0, 255))(Item(Images, i)), 0, 0);
        }
    }

    [Fact]
    public void CifarDefaultTransformGivesTheBooksValues() =>
        Reference.AssertClose(Arr("cifar_default"), CIFAR10.DefaultTransform()(Item(Images, 0)), 0, 0);

    [Fact]
    public void NormalizePerChannel()
    {
        Reference.AssertClose(Arr("normalize_channels"), Transforms.Normalize([1.0, 2.0, -3.0], [2.0, 0.5, 4.0])(Arr("chw")), 1e-15);
        Reference.AssertClose(Arr("normalize_f32"), Transforms.Normalize([0.1, 0.2, 0.3], [0.7, 0.8, 0.9])(Arr("chw").AsType(DType.Float32)), 0, 0);
    }

    [Fact]
    public void NormalizeWithScalarsAndOneValueSequences()
    {
        Reference.AssertClose(Arr("normalize_scalar"), Transforms.Normalize(0.25, 3.0)(Arr("chw")), 1e-15);
        Reference.AssertClose(Arr("normalize_scalar"), Transforms.Normalize([0.25], [3.0])(Arr("chw")), 1e-15);
    }

    [Fact]
    public void NormalizeRejectsMismatchedChannels()
    {
        var ex = Assert.Throws<ArgumentException>(() => Transforms.Normalize([1.0, 2.0], [1.0, 1.0])(Arr("chw")));
        Assert.Contains("(3, 2, 2)", ex.Message);
        Assert.Throws<ArgumentException>(() => Transforms.Normalize([], [1.0]));
    }

    [Fact]
    public void CastsAndFlatten()
    {
        Reference.AssertClose(Arr("to_int"), Transforms.ToInt()(Arr("chw")), 0, 0);
        Reference.AssertClose(Arr("as_type_f32"), Transforms.AsType()(Arr("chw")), 0, 0);
        Reference.AssertClose(Arr("as_type_f32"), Transforms.ToFloat()(Arr("chw")), 0, 0);
        Assert.Equal(DType.Int32, Transforms.ToInt(DType.Int32)(Arr("chw")).DType);
        var flat = Transforms.Flatten()(Arr("chw"));
        Assert.Equal(new[] { 12 }, flat.Shape);
        Assert.Equal(Arr("chw").ToArray<double>(), flat.ToArray<double>());
    }

    [Fact]
    public void ComposeAppliesInOrderAndEmptyIsIdentity()
    {
        Reference.AssertClose(Arr("compose_empty"), Transforms.Compose()(Arr("chw")), 0, 0);
        var x = NDArray.FromArray(new[] { 1.0, 2.0 });
        Assert.Equal(new[] { 4.0, 6.0 }, Transforms.Compose(a => a + 1.0, a => a * 2.0)(x).ToArray<double>());
        Assert.Equal(new[] { 3.0, 5.0 }, Transforms.Compose(a => a * 2.0, a => a + 1.0)(x).ToArray<double>());
    }
}
