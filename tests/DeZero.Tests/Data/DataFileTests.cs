using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using DeZero.Data;

namespace DeZero.Tests.Data;

/// <summary>
/// The MNIST, Fashion-MNIST and CIFAR-10 readers on small files each test writes to a temporary folder (never an
/// installed dataset), and their errors for missing and corrupt files. Tests that set the DEZERO_* variables restore them.
/// </summary>
public sealed class DataFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-data-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static JsonElement MnistRef => Reference.Load("data").GetProperty("mnist");

    // The pattern the reference script gave the book's reader: pixel k = (7k + 3) % 256, label i = 3i % 10.
    static byte[] Pixels(int n, int side = 28) => Enumerable.Range(0, n * side * side).Select(k => (byte)((k * 7 + 3) % 256)).ToArray();
    static byte[] Labels(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 3 % 10)).ToArray();

    static byte[] Idx(int magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(bytes);
        return output.ToArray();
    }

    string Write(string name, byte[] bytes, bool gz = false)
    {
        var path = Path.Combine(dir, gz ? name + ".gz" : name);
        File.WriteAllBytes(path, gz ? Gzip(bytes) : bytes);
        return path;
    }

    // A complete MNIST-style folder: n training and m test examples.
    void WriteMnist(int n = 5, int m = 3, bool gzImages = true, bool gzLabels = true)
    {
        Write("train-images-idx3-ubyte", Idx(0x803, [n, 28, 28], Pixels(n)), gzImages);
        Write("train-labels-idx1-ubyte", Idx(0x801, [n], Labels(n)), gzLabels);
        Write("t10k-images-idx3-ubyte", Idx(0x803, [m, 28, 28], Pixels(m).Select(p => (byte)(255 - p)).ToArray()), gzImages);
        Write("t10k-labels-idx1-ubyte", Idx(0x801, [m], Labels(m).Reverse().ToArray()), gzLabels);
    }

    static void WithEnvironment(string name, string? value, Action action)
    {
        var old = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        try { action(); }
        finally { Environment.SetEnvironmentVariable(name, old); }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void MnistReadsTrainingFilesLikeTheBook(bool gzImages, bool gzLabels)
    {
        WriteMnist(MnistRef.GetProperty("n").GetInt32(), 3, gzImages, gzLabels);
        var ds = new MNIST(train: true, root: dir);
        Assert.Equal(MnistRef.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), ds.Data.Shape);
        Assert.Equal(DType.Float32, ds.Data.DType);
        Assert.Equal(Pixels(5).Select(p => (float)p), ds.Data.ToArray<float>());
        Reference.AssertClose(Reference.Array(MnistRef.GetProperty("label")), ds.Label!, 0, 0, "labels");
        foreach (var item in MnistRef.GetProperty("items").EnumerateArray())
        {
            var (x, t) = ds[item.GetProperty("index").GetInt32()];
            Reference.AssertClose(Reference.Array(item.GetProperty("x")), x, 0, 0, "transformed image");
            Assert.Equal(item.GetProperty("t").GetInt64(), (long)t);
        }
    }

    [Fact]
    public void MnistTestSplitReadsT10kFiles()
    {
        WriteMnist();
        var ds = new MNIST(train: false, transform: x => x, root: dir);
        Assert.Equal(new[] { 3, 1, 28, 28 }, ds.Data.Shape);
        Assert.Equal(Pixels(3).Select(p => (float)(255 - p)), ds.Data.ToArray<float>());
        Assert.Equal(Labels(3).Reverse().Select(b => (long)b), ds.Label!.ToArray<long>());
        Assert.Equal(new[] { 1, 28, 28 }, ds[0].x.Shape);
        Assert.False(ds.Train);
    }

    [Fact]
    public void MnistBatchesThroughTheDefaultTransform()
    {
        WriteMnist();
        var ds = new MNIST(root: dir);
        var (x, t) = new DataLoader(ds, 4, shuffle: false).First();
        Assert.Equal(new[] { 4, 784 }, x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal(3f / 255f, x.ToArray<float>()[0]);
        Reference.AssertClose(NDArray.Stack([ds[0].x, ds[1].x, ds[2].x, ds[3].x]), x, 0, 0, "batch vs examples");
        Assert.Equal(new[] { 0L, 3, 6, 9 }, t.ToArray<long>());
    }

    [Fact]
    public void FashionMnistReadsTheSameFormat()
    {
        WriteMnist(gzImages: false);
        var ds = new FashionMNIST(train: true, root: dir);
        Assert.Equal(5, ds.Count);
        Assert.Equal(784, ds[0].x.Size);
        Assert.Equal(10, FashionMNIST.Labels.Count);
        Assert.Equal("Ankle boot", FashionMNIST.Labels[9]);
    }

    [Fact]
    public void EnvironmentVariablesChooseTheFolderUnlessRootIsGiven()
    {
        WriteMnist();
        WithEnvironment("DEZERO_MNIST", dir, () => Assert.Equal(5, new MNIST().Count));
        WithEnvironment("DEZERO_FASHION_MNIST", dir, () => Assert.Equal(3, new FashionMNIST(train: false).Count));
        var missing = Path.Combine(dir, "missing");
        WithEnvironment("DEZERO_MNIST", missing, () => Assert.Equal(5, new MNIST(root: dir).Count));
        WithEnvironment("DEZERO_FASHION_MNIST", missing, () =>
        {
            var ex = Assert.Throws<DirectoryNotFoundException>(() => new FashionMNIST());
            Assert.Contains(missing, ex.Message);
            Assert.Contains("DEZERO_FASHION_MNIST", ex.Message);
            Assert.Contains("dataset-fashion-mnist", ex.Message);
        });
    }

    [Fact]
    public void MissingFolderSaysWhereAndHow()
    {
        var missing = Path.Combine(dir, "nowhere");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new MNIST(root: missing));
        Assert.Contains(missing, ex.Message);
        Assert.Contains("root argument", ex.Message);
        Assert.Contains("train-images-idx3-ubyte", ex.Message);
        Assert.Contains("dataset-fashion-mnist", Assert.Throws<DirectoryNotFoundException>(() => new FashionMNIST(root: missing)).Message);
        Assert.Contains("data_batch_1.bin", Assert.Throws<DirectoryNotFoundException>(() => new CIFAR10(root: missing)).Message);
    }

    [Fact]
    public void MissingFileNamesBothCandidates()
    {
        WriteMnist();
        File.Delete(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        var ex = Assert.Throws<FileNotFoundException>(() => new MNIST(train: false, root: dir));
        var expected = Path.Combine(dir, "t10k-labels-idx1-ubyte");
        Assert.Equal(expected, ex.FileName);
        Assert.Contains($"'{expected}.gz'", ex.Message);
        Assert.Equal(5, new MNIST(train: true, root: dir).Count);
    }

    public static TheoryData<string, byte[], string> CorruptImages => new()
    {
        { "bad magic", Idx(0x801, [5, 28, 28], Pixels(5)), "magic number is 0x00000801" },
        { "wrong size", Idx(0x803, [5, 27, 28], Pixels(5).Take(5 * 27 * 28).ToArray()), "27×28" },
        { "short data", Idx(0x803, [5, 28, 28], Pixels(5)[..^10]), "3920 bytes of data" },
        { "trailing data", Idx(0x803, [5, 28, 28], [.. Pixels(5), 1, 2]), "3922 follow" },
        { "short header", new byte[] { 0, 0, 8, 3, 0, 0 }, "16-byte IDX header" },
        { "negative count", Idx(0x803, [-5, 28, 28], Pixels(5)), "negative" },
    };

    [Theory]
    [MemberData(nameof(CorruptImages))]
    public void CorruptImageFilesAreReported(string why, byte[] bytes, string message)
    {
        WriteMnist();
        foreach (var gz in new[] { false, true })
        {
            File.Delete(Path.Combine(dir, "train-images-idx3-ubyte"));
            File.Delete(Path.Combine(dir, "train-images-idx3-ubyte.gz"));
            var path = Write("train-images-idx3-ubyte", bytes, gz);
            var ex = Assert.Throws<InvalidDataException>(() => new MNIST(root: dir));
            Assert.True(ex.Message.Contains(path) && ex.Message.Contains(message), $"{why}: {ex.Message}");
        }
    }

    [Fact]
    public void CorruptLabelFilesAreReported()
    {
        WriteMnist();
        var path = Write("train-labels-idx1-ubyte", Idx(0x801, [4], Labels(4)), gz: true);
        var ex = Assert.Throws<InvalidDataException>(() => new MNIST(root: dir));
        Assert.Contains(path, ex.Message);
        Assert.Contains("4 labels", ex.Message);
        Assert.Contains("5 images", ex.Message);
        Write("train-labels-idx1-ubyte", Idx(0x801, [5], [0, 1, 10, 2, 3]), gz: true);
        Assert.Contains("label 2 is 10", Assert.Throws<InvalidDataException>(() => new MNIST(root: dir)).Message);
        Write("train-labels-idx1-ubyte", Idx(0x803, [5], Labels(5)), gz: true);
        Assert.Contains("expected 0x00000801", Assert.Throws<InvalidDataException>(() => new MNIST(root: dir)).Message);
    }

    [Fact]
    public void TruncatedGzipIsReported()
    {
        WriteMnist();
        var path = Path.Combine(dir, "train-images-idx3-ubyte.gz");
        var gz = File.ReadAllBytes(path);
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => new MNIST(root: dir)).Message);
        gz[12] ^= 0xff;
        gz[13] ^= 0x5a;
        File.WriteAllBytes(path, gz);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => new MNIST(root: dir)).Message);
    }

    // ---- CIFAR-10 ----

    // Record r: label (r + first) % 10, pixel i = (r * 11 + i) % 256.
    static byte[] CifarRecords(int count, int first)
    {
        var bytes = new byte[count * 3073];
        for (int r = 0; r < count; r++)
        {
            bytes[r * 3073] = (byte)((r + first) % 10);
            for (int i = 0; i < 3072; i++) bytes[r * 3073 + 1 + i] = (byte)(((r + first) * 11 + i) % 256);
        }
        return bytes;
    }

    void WriteCifar()
    {
        for (int b = 1; b <= 5; b++) Write($"data_batch_{b}.bin", CifarRecords(2, 2 * (b - 1)), gz: b == 2);
        Write("test_batch.bin", CifarRecords(3, 20));
    }

    [Fact]
    public void Cifar10ReadsTheFiveTrainingBatchesInOrder()
    {
        WriteCifar();
        var ds = new CIFAR10(train: true, transform: x => x, root: dir);
        Assert.Equal(new[] { 10, 3, 32, 32 }, ds.Data.Shape);
        Assert.Equal(DType.Float32, ds.Data.DType);
        Assert.Equal(Enumerable.Range(0, 10).Select(r => (long)(r % 10)), ds.Label!.ToArray<long>());
        var (x, t) = ds[7];
        Assert.Equal(7L, (long)t);
        var pixels = x.ToArray<float>();
        // Channel-major planes: pixel (c, h, w) is byte c·1024 + h·32 + w of the record.
        Assert.Equal((7 * 11 + 0) % 256, pixels[0]);
        Assert.Equal((7 * 11 + 1024 + 5 * 32 + 9) % 256, pixels[1024 + 5 * 32 + 9]);
        Assert.Equal((7 * 11 + 3071) % 256, pixels[3071]);
    }

    [Fact]
    public void Cifar10TestSplitAndDefaultTransform()
    {
        WriteCifar();
        var ds = new CIFAR10(train: false, root: dir);
        Assert.Equal(3, ds.Count);
        Assert.Equal(new[] { 0L, 1, 2 }, ds.Label!.ToArray<long>());
        var (x, _) = ds[1];
        Assert.Equal(new[] { 3, 32, 32 }, x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        // (p − 0.5) / 0.5 = 2p − 1, exact in float32 for bytes.
        Assert.Equal(Enumerable.Range(0, 3072).Select(i => 2f * ((21 * 11 + i) % 256) - 1f), x.ToArray<float>());
        Assert.Equal("airplane", CIFAR10.Labels[0]);
    }

    [Fact]
    public void Cifar10ErrorsNameTheFile()
    {
        WriteCifar();
        File.Delete(Path.Combine(dir, "data_batch_3.bin"));
        var missing = Assert.Throws<FileNotFoundException>(() => new CIFAR10(root: dir));
        Assert.Equal(Path.Combine(dir, "data_batch_3.bin"), missing.FileName);
        Assert.Contains("cifar-10-batches-bin", missing.Message);
        Write("data_batch_3.bin", CifarRecords(2, 4)[..^1]);
        var ex = Assert.Throws<InvalidDataException>(() => new CIFAR10(root: dir));
        Assert.Contains("data_batch_3.bin", ex.Message);
        Assert.Contains("6145 bytes", ex.Message);
        Write("data_batch_3.bin", []);
        Assert.Contains("0 bytes", Assert.Throws<InvalidDataException>(() => new CIFAR10(root: dir)).Message);
        var bad = CifarRecords(2, 4);
        bad[3073] = 10;
        Write("data_batch_3.bin", bad);
        Assert.Contains("record 1 has label 10", Assert.Throws<InvalidDataException>(() => new CIFAR10(root: dir)).Message);
        WithEnvironment("DEZERO_CIFAR10", dir, () => Assert.Equal(3, new CIFAR10(train: false).Count));
    }
}
