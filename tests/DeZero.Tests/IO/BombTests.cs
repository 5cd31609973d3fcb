using System.IO.Compression;
using System.Text;
using DeZero.Data;
using DeZero.IO;
using Xunit.Abstractions;
using static DeZero.Tests.IO.ReaderFuzzTests;

namespace DeZero.Tests.IO;

/// <summary>
/// Small files that declare huge arrays (decompression bombs and plain lies) fail before the reader allocates: an
/// InvalidDataException naming the file (and entry or dataset), with a few MB allocated at most.
/// </summary>
[Collection("ReadLimits")]
public sealed class BombTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-bomb-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Runs the reader, which must throw InvalidDataException with every expected text, allocating at most maxBytes.
    void Fails(Action read, long maxBytes, params string[] expect)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<InvalidDataException>(read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated / 1024} KiB allocated, {clock.ElapsedMilliseconds} ms: {e.Message}");
        Assert.True(allocated <= maxBytes, $"allocated {allocated} bytes: {e.Message}");
        foreach (var s in expect) Assert.True(e.Message.Contains(s), $"\"{s}\" not in: {e.Message}");
    }

    // A .npy header (format 1.0) declaring `shape` of float64, followed by `dataBytes` zeros.
    static byte[] NpyClaiming(string shape, int dataBytes)
    {
        var text = $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}";
        text = text.PadRight(118 - 1) + "\n";
        var header = new byte[10 + text.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }.CopyTo(header, 0);
        header[6] = 1;
        header[8] = (byte)text.Length;
        Encoding.ASCII.GetBytes(text).CopyTo(header, 10);
        return [.. header, .. new byte[dataBytes]];
    }

    [Fact]
    public void NpyClaiming16GiB()
    {
        var path = Path.Combine(dir, "bomb.npy");
        File.WriteAllBytes(path, NpyClaiming("(2147483591,)", 1 << 20));
        Fails(() => Npy.Load(path), 1 << 20, path, "17179868728 bytes", "ReadLimits.MaxArrayBytes");
        // Under the limit but longer than the file: rejected against the file's length before allocating.
        File.WriteAllBytes(path, NpyClaiming("(100000000,)", 1 << 20));
        Fails(() => Npy.Load(path), 1 << 20, path, "800000000 bytes", "found 1048576");
    }

    [Theory]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.NoCompression)]
    public void NpzClaiming16GiB(CompressionLevel level)
    {
        var path = Path.Combine(dir, "bomb.npz");
        void Write(string shape)
        {
            using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
            using var s = zip.CreateEntry("W.npy", level).Open();
            s.Write(NpyClaiming(shape, 4 << 20));
        }
        Write("(2147483591,)");
        Fails(() => Npz.Load(path), 1 << 20, path, "entry 'W.npy'", "17179868728 bytes", "ReadLimits.MaxArrayBytes");
        // Under the limit: the zip directory's size of the entry (4 MiB) is checked before allocating 800 MB.
        Write("(100000000,)");
        Fails(() => Npz.Load(path), 1 << 20, path, "entry 'W.npy'", "800000000 bytes", "found 4194304");
    }

    void WriteIdx(string prefix, byte[] images, byte[] labels)
    {
        File.WriteAllBytes(Path.Combine(dir, prefix + "-images-idx3-ubyte.gz"), Gzip(images));
        File.WriteAllBytes(Path.Combine(dir, prefix + "-labels-idx1-ubyte.gz"), Gzip(labels));
    }

    [Fact]
    public void GzippedIdxClaiming4GB()
    {
        // 5 478 275 images of 28×28 bytes: 4.29 GB of pixels promised by 8 MiB of zeros gzipped to a few KB.
        WriteIdx("t10k", Idx(0x803, [5478275, 28, 28], new byte[8 << 20]), Idx(0x801, [1], [0]));
        Fails(() => new FashionMNIST(train: false, root: dir), 1 << 20, "FashionMNIST", "t10k-images-idx3-ubyte.gz", "4294967600 bytes", "at most 2147483591");
        // 1 GB of pixels: 4 GB as float32, beyond the limit.
        WriteIdx("t10k", Idx(0x803, [1275510, 28, 28], new byte[8 << 20]), Idx(0x801, [1], [0]));
        Fails(() => new FashionMNIST(train: false, root: dir), 1 << 20, "FashionMNIST", "t10k-images-idx3-ubyte.gz", "ReadLimits.MaxArrayBytes");
        // 400 MB of pixels (1.6 GB as float32, under the limit): the buffer grows only as data arrives, and the data ends after 8 MiB.
        WriteIdx("t10k", Idx(0x803, [510204, 28, 28], new byte[8 << 20]), Idx(0x801, [1], [0]));
        Fails(() => new FashionMNIST(train: false, root: dir), 40 << 20, "FashionMNIST", "t10k-images-idx3-ubyte.gz", "only 8388608 follow");
    }

    [Fact]
    public void GzippedIdxLabelsClaiming2GB()
    {
        WriteIdx("train", Idx(0x803, [1, 28, 28], new byte[784]), Idx(0x801, [int.MaxValue], new byte[1 << 20]));
        Fails(() => new MNIST(train: true, root: dir), 1 << 20, "MNIST", "train-labels-idx1-ubyte.gz");
    }

    [Fact]
    public void GzippedCifarBatchBeyondTheLimit()
    {
        // 64 MiB of zeros (valid records) gzipped to ~64 KB; with a 16 MiB limit reading stops after 4 MiB of records.
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin.gz"), Gzip(new byte[64 << 20]));
        var old = ReadLimits.MaxArrayBytes;
        ReadLimits.MaxArrayBytes = 16 << 20;
        try { Fails(() => new CIFAR10(train: false, root: dir), 16 << 20, "CIFAR10", "test_batch.bin.gz", "ReadLimits.MaxArrayBytes"); }
        finally { ReadLimits.MaxArrayBytes = old; }
    }

    [Fact]
    public void TheLimitIsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadLimits.MaxArrayBytes = 0);
        Assert.Equal(ReadLimits.DefaultMaxArrayBytes, ReadLimits.MaxArrayBytes);
    }
}
