using System.IO.Compression;
using DeZero.Data;

namespace DeZero.Vision.Tests;

/// <summary>CIFAR-100 and Shakespear on small files written by the tests.</summary>
public sealed class DatasetTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("dezero-vision-data-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Records of CIFAR-100's binary format: coarse label, fine label, 3072 pixel bytes; record r's pixel i is (r + i) % 256.
    static byte[] Cifar100Records(params (byte Coarse, byte Fine)[] labels)
    {
        var bytes = new byte[labels.Length * 3074];
        for (int r = 0; r < labels.Length; r++)
        {
            bytes[r * 3074] = labels[r].Coarse;
            bytes[r * 3074 + 1] = labels[r].Fine;
            for (int i = 0; i < 3072; i++) bytes[r * 3074 + 2 + i] = (byte)((r + i) % 256);
        }
        return bytes;
    }

    [Fact]
    public void Cifar100ReadsImagesAndFineOrCoarseLabels()
    {
        File.WriteAllBytes(Path.Combine(dir, "train.bin"), Cifar100Records((3, 41), (19, 99), (0, 0)));
        var fine = new CIFAR100(root: dir, transform: x => x);
        Assert.Equal(3, fine.Count);
        Assert.Equal([3, 3, 32, 32], fine.Data.Shape);
        Assert.Equal(DType.Float32, fine.Data.DType);
        Assert.Equal([41L, 99, 0], fine.Label!.ToArray<long>());
        Assert.Equal("fine", fine.LabelType);
        var (x, t) = fine[1];
        Assert.Equal([3, 32, 32], x.Shape);
        Assert.Equal(99L, (long)t);
        // Channel planes in order: red pixel (row 0, col 5) is byte 5, green is byte 1024 + 5.
        Assert.Equal((1 + 5) % 256, (double)x[0, 0, 5]);
        Assert.Equal((1 + 1024 + 5) % 256, (double)x[1, 0, 5]);
        var coarse = new CIFAR100(root: dir, labelType: "coarse");
        Assert.Equal([3L, 19, 0], coarse.Label!.ToArray<long>());
        // The book's default transform: (x − 0.5) / 0.5.
        Assert.Equal((6 - 0.5) / 0.5, (double)coarse[1].x[0, 0, 5]);
    }

    [Fact]
    public void Cifar100ReadsTheGzippedTestFile()
    {
        using (var gz = new GZipStream(File.Create(Path.Combine(dir, "test.bin.gz")), CompressionLevel.Fastest))
            gz.Write(Cifar100Records((7, 8)));
        var test = new CIFAR100(train: false, root: dir);
        Assert.Equal(1, test.Count);
        Assert.Equal(8L, (long)test.Label![0]);
    }

    [Fact]
    public void Cifar100RejectsBadFilesAndArguments()
    {
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => new CIFAR100(root: Path.Combine(dir, "none"))).Message);
        Assert.Contains("train.bin", Assert.Throws<FileNotFoundException>(() => new CIFAR100(root: dir)).Message);
        var path = Path.Combine(dir, "train.bin");
        File.WriteAllBytes(path, Cifar100Records((1, 2))[..3000]);
        var e = Assert.Throws<InvalidDataException>(() => new CIFAR100(root: dir));
        Assert.Contains(path, e.Message);
        Assert.Contains("3074-byte records", e.Message);
        File.WriteAllBytes(path, Cifar100Records((1, 2), (20, 5)));
        Assert.Contains("record 1 has coarse label 20", Assert.Throws<InvalidDataException>(() => new CIFAR100(root: dir)).Message);
        File.WriteAllBytes(path, Cifar100Records((1, 100)));
        Assert.Contains("fine label 100", Assert.Throws<InvalidDataException>(() => new CIFAR100(root: dir)).Message);
        Assert.Contains("\"fine\" or \"coarse\"", Assert.Throws<ArgumentException>(() => new CIFAR100(root: dir, labelType: "medium")).Message);
    }

    [Fact]
    public void Cifar100LabelsNameTheClasses()
    {
        var fine = CIFAR100.Labels();
        Assert.Equal(100, fine.Count);
        Assert.Equal(100, fine.Distinct().Count());
        Assert.Equal(fine.Order(StringComparer.Ordinal), fine); // the dataset's fine_label_names are alphabetical
        Assert.Equal(("apple", "cattle", "worm"), (fine[0], fine[19], fine[99]));
        var coarse = CIFAR100.Labels("coarse");
        Assert.Equal(20, coarse.Count);
        Assert.Equal(("aquatic mammals", "vehicles 2"), (coarse[0], coarse[19]));
        Assert.Throws<ArgumentException>(() => CIFAR100.Labels("Fine"));
    }

    [Fact]
    public void ShakespearGivesCharacterIdsAndNextCharacterLabels()
    {
        var path = Path.Combine(dir, "input.txt");
        File.WriteAllText(path, "First:\r\nFir é");
        var ds = new Shakespear(path);
        // Python's text mode turns CRLF into LF: "First:\nFir é" has 12 characters, so 11 examples.
        Assert.Equal(11, ds.Count);
        Assert.Equal(['F', 'i', 'r', 's', 't', ':', '\n', ' ', 'é'], ds.IdToChar);
        Assert.Equal(8, ds.CharToId['é']);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6, 0, 1, 2, 7], ds.Data.ToArray<long>());
        Assert.Equal([1L, 2, 3, 4, 5, 6, 0, 1, 2, 7, 8], ds.Label!.ToArray<long>());
        var (x, t) = ds[6];
        Assert.Equal((6L, 0L), ((long)x, (long)t));
        var (xs, ts) = new DataLoader(ds, 4, shuffle: false).First();
        Assert.Equal([0L, 1, 2, 3], xs.ToArray<long>());
        Assert.Equal([1L, 2, 3, 4], ts.ToArray<long>());
        var alias = new Shakespeare(path);
        Assert.Equal(ds.Label.ToArray<long>(), alias.Label!.ToArray<long>());
    }

    [Fact]
    public void ShakespearRejectsMissingShortAndNonUtf8Files()
    {
        var missing = Path.Combine(dir, "shakespear.txt");
        var e = Assert.Throws<FileNotFoundException>(() => new Shakespear(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("tinyshakespeare", e.Message);
        var one = Path.Combine(dir, "one.txt");
        File.WriteAllText(one, "a");
        Assert.Contains("at least 2", Assert.Throws<InvalidDataException>(() => new Shakespeare(one)).Message);
        var latin1 = Path.Combine(dir, "latin1.txt");
        File.WriteAllBytes(latin1, [0x61, 0xE9, 0x62]);
        Assert.Contains("not UTF-8", Assert.Throws<InvalidDataException>(() => new Shakespear(latin1)).Message);
    }
}
