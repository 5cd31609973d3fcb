using DeZero.Data;

namespace DeZero.Vision.Tests;

/// <summary>Image files in and out, array conversions, the transforms' checks and RandomHorizontalFlip.</summary>
[Collection("GlobalRandom")]
public sealed class ImageTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-vision-image-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static Image Rgb => Image.Load(TransformReferenceTests.DataPath("rgb.png"));

    [Theory]
    [InlineData("rgb.png")]
    [InlineData("gray.png")]
    [InlineData("rgba.png")]
    public void PngRoundTripsExactly(string name)
    {
        var img = Image.Load(TransformReferenceTests.DataPath(name));
        var path = Path.Combine(dir, "copy.png");
        img.Save(path);
        var back = Image.Load(path);
        Assert.Equal(img.Mode, back.Mode);
        Assert.Equal(img.ToArray().ToArray<float>(), back.ToArray().ToArray<float>());
    }

    [Fact]
    public void JpegAndWebpWriteAndReadBack()
    {
        // A smooth picture: JPEG's chroma subsampling would blur a noisy one far more.
        var ramp = NDArray.Arange(0, 64 * 48).Reshape(48, 64) % 64;
        var img = Image.FromArray(NDArray.Stack([ramp * 4, NDArray.Full([48, 64], 128.0), 255 - ramp * 2]));
        foreach (var ext in new[] { ".jpg", ".webp" })
        {
            var path = Path.Combine(dir, "copy" + ext);
            img.Save(path);
            var back = Image.Load(path);
            Assert.Equal((img.Size, img.Channels), (back.Size, back.Channels));
            // JPEG at quality 95 is close but lossy; lossless WebP is exact.
            double mean = (double)NDArray.Abs(img.ToArray() - back.ToArray()).Mean();
            Assert.True(ext == ".jpg" ? mean < 2 : mean == 0, $"{ext}: mean |diff| {mean}");
        }
    }

    [Fact]
    public void FromArrayIsTheBooksToPil()
    {
        var x = NDArray.FromArray(new double[,,] { { { 0, 255 }, { 7, 8 } }, { { 1, 2 }, { 3, 4 } }, { { 9, 10 }, { 11, 12 } } });
        var img = Transforms.ToPIL()(x);
        Assert.Equal(("RGB", 2, 2), (img.Mode, img.Width, img.Height));
        Assert.Equal(x.AsType(DType.Float32).ToArray<float>(), img.ToArray().ToArray<float>());
        var grey = Image.FromArray(NDArray.FromArray(new long[,] { { 1, 2, 3 } }));
        Assert.Equal(("L", 3, 1), (grey.Mode, grey.Width, grey.Height));
    }

    [Fact]
    public void FromArrayRejectsWhatIsNotAnEightBitImage()
    {
        var e = Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.FromArray(new[,] { { 0.0, 255.5 } })));
        Assert.Contains("value 255.5 at flat index 1", e.Message);
        Assert.Contains("value -1", Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.FromArray(new[,] { { -1.0 } }))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.FromArray(new[,] { { double.NaN } }))).Message);
        Assert.Contains("shape (2, 4, 4)", Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.Zeros(2, 4, 4))).Message);
        Assert.Contains("shape (4)", Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.Zeros(4))).Message);
        Assert.Contains("shape (3, 0, 4)", Assert.Throws<ArgumentException>(() => Image.FromArray(NDArray.Zeros(3, 0, 4))).Message);
    }

    [Fact]
    public void LoadNamesTheFileOfBadInput()
    {
        var bytes = File.ReadAllBytes(TransformReferenceTests.DataPath("rgb.png"));
        var truncated = Path.Combine(dir, "truncated.png");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Image.Load(truncated));
        Assert.Contains(truncated, e.Message);
        Assert.Contains("truncated", e.Message);

        var text = Path.Combine(dir, "notes.png");
        File.WriteAllText(text, "not an image at all");
        e = Assert.Throws<InvalidDataException>(() => Image.Load(text));
        Assert.Contains(text, e.Message);
        Assert.Contains("not an image in a supported format", e.Message);

        var tiff = Path.Combine(dir, "picture.tiff");
        File.WriteAllBytes(tiff, [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        Assert.Contains("not an image in a supported format", Assert.Throws<InvalidDataException>(() => Image.Load(tiff)).Message);

        var empty = Path.Combine(dir, "empty.jpg");
        File.WriteAllBytes(empty, []);
        Assert.Contains(empty, Assert.Throws<InvalidDataException>(() => Image.Load(empty)).Message);

        Assert.Throws<FileNotFoundException>(() => Image.Load(Path.Combine(dir, "missing.png")));
    }

    [Fact]
    public void LoadRefusesImagesLargerThanPillowWould()
    {
        // A PNG declaring 100 000 × 100 000 pixels, with the start of its pixel data.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
            .. Chunk("IHDR", [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0]), .. Chunk("IDAT", [0x78, 0x9C, 0, 0, 0, 0])];
        var e = Assert.Throws<InvalidDataException>(() => Image.Decode(png, "the bomb"));
        Assert.Contains("100000×100000", e.Message);
    }

    // A PNG chunk: length, type, data and the CRC-32 (reflected polynomial 0xEDB88320) of type and data.
    static byte[] Chunk(string type, byte[] data)
    {
        byte[] body = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        uint c = 0xFFFFFFFF;
        foreach (var b in body)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        c = ~c;
        int n = data.Length;
        return [(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n, .. body, (byte)(c >> 24), (byte)(c >> 16), (byte)(c >> 8), (byte)c];
    }

    [Fact]
    public void SaveRejectsUnknownFormatsAndAlphaInJpeg()
    {
        Assert.Contains(".gif", Assert.Throws<ArgumentException>(() => Rgb.Save(Path.Combine(dir, "x.gif"))).Message);
        var rgba = Image.Load(TransformReferenceTests.DataPath("rgba.png"));
        Assert.Contains("RGBA", Assert.Throws<ArgumentException>(() => rgba.Save(Path.Combine(dir, "x.jpg"))).Message);
    }

    [Fact]
    public void TransformsRejectBadSizesModesAndCrops()
    {
        Assert.Contains("0×5", Assert.Throws<ArgumentOutOfRangeException>(() => Transforms.Resize(0, 5)).Message);
        Assert.Contains("-3×-3", Assert.Throws<ArgumentOutOfRangeException>(() => Transforms.CenterCrop(-3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Rgb.Resize(4, 0));
        Assert.Contains("'CMYK'", Assert.Throws<ArgumentException>(() => Transforms.Convert("CMYK")).Message);
        var e = Assert.Throws<ArgumentException>(() => Transforms.CenterCrop(38, 10)(Rgb));
        Assert.Contains("38×10", e.Message);
        Assert.Contains("37×29", e.Message);
        Assert.Throws<ArgumentException>(() => Rgb.Crop(-1, 0, 5, 5));
        Assert.Throws<ArgumentException>(() => Rgb.Crop(5, 5, 5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Transforms.RandomHorizontalFlip(1.5));
        Assert.Contains("whole number 0…255", Assert.Throws<ArgumentException>(() => Transforms.Resize(4)(NDArray.Full([3, 8, 8], 0.5))).Message);
    }

    [Fact]
    public void RandomHorizontalFlipDrawsFromTheGlobalGeneratorReproducibly()
    {
        NDArray x = Rgb;
        var flipped = Rgb.FlipLeftRight().ToArray().ToArray<float>();
        var flip = Transforms.RandomHorizontalFlip();
        bool[] Run()
        {
            RandomState.Global.Seed(3);
            return Enumerable.Range(0, 12).Select(_ => flip(x).ToArray<float>().SequenceEqual(flipped)).ToArray();
        }
        var first = Run();
        Assert.Equal(first, Run());
        // The same draws as NumPy's legacy generator: np.random.seed(3); np.random.rand(12) < 0.5.
        RandomState.Global.Seed(3);
        var expected = RandomState.Global.Rand(12).ToArray<double>().Select(u => u < 0.5).ToArray();
        Assert.Equal(expected, first);
        Assert.Contains(true, first);
        Assert.Contains(false, first);
        Assert.Equal(flipped, Transforms.RandomHorizontalFlip(1.0)(x).ToArray<float>());
        Assert.Equal(x.ToArray<float>(), Transforms.RandomHorizontalFlip(0.0, new RandomState(1))(x).ToArray<float>());
    }

    [Fact]
    public void TransformsServeADatasetOfImages()
    {
        var images = NDArray.Stack([Rgb.ToArray(), Rgb.FlipLeftRight().ToArray()]);
        var ds = new Dataset(images, NDArray.FromArray(new long[] { 0, 1 }),
            Transforms.Compose(Transforms.CenterCrop(16, 8), Transforms.Convert("L"), Transforms.ToArray(DType.Float64)));
        var (x, _) = ds[1];
        Assert.Equal([1, 8, 16], x.Shape);
        Assert.Equal(DType.Float64, x.DType);
        var (batch, labels) = new DataLoader(ds, 2, shuffle: false).First();
        Assert.Equal([2, 1, 8, 16], batch.Shape);
        Assert.Equal([0L, 1], labels.ToArray<long>());
    }

    [Fact]
    public void ImageNetLabelsAreTheBooksList()
    {
        var labels = ImageNet.Labels();
        Assert.Equal(1000, labels.Count);
        Assert.Equal("tench, Tinca tinca", labels[0]);
        Assert.Equal("goldfish, Carassius auratus", labels[1]);
        Assert.Equal("tabby, tabby cat", labels[281]);
        Assert.Equal("zebra", labels[340]);
        Assert.Equal("scale, weighing machine", labels[778]);
        Assert.Equal("toilet tissue, toilet paper, bathroom tissue", labels[999]);
        Assert.Same(labels, ImageNet.Labels());
    }
}
