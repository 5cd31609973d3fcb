using System.Collections;
using System.IO.Compression;
using DeZero.IO;
using static DeZero.Tests.IO.NpyTestData;

namespace DeZero.Tests.IO;

public class NpzTests
{
    // The arrays of weights.npz / weights_compressed.npz in NumPy's order: 'l1/W', 'l1/b', 'l2/W', …
    static OrderedDictionary<string, NDArray> Weights()
    {
        var d = new OrderedDictionary<string, NDArray>();
        foreach (var p in Expected("weights").EnumerateObject()) d.Add(p.Name, Reference.Array(p.Value));
        return d;
    }

    static void AssertSame(OrderedDictionary<string, NDArray> expected, OrderedDictionary<string, NDArray> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, a) in expected) Reference.AssertClose(a, actual[key], 0, 0, key);
    }

    static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
        return ms.ToArray();
    }

    [Theory]
    [InlineData("weights.npz")]
    [InlineData("weights_compressed.npz")]
    public void LoadsNumPyFilesInFileOrder(string file) => AssertSame(Weights(), Npz.Load(Fixture(file)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsEveryDtypeAndShapeInOrder(bool compressed)
    {
        var samples = Samples().ToArray();
        var arrays = new OrderedDictionary<string, NDArray>();
        for (int i = 0; i < samples.Length; i++) arrays.Add($"l{samples.Length - i}/{samples[i].DType}", samples[i]);
        using var dir = new TempDir();
        Npz.Save(dir.File("w.npz"), arrays, compressed);
        AssertSame(arrays, Npz.Load(dir.File("w.npz")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EntriesAreTheNpyFilesNumPyWrites(bool compressed)
    {
        using var dir = new TempDir();
        Npz.Save(dir.File("w.npz"), Weights(), compressed);
        using var ours = ZipFile.OpenRead(dir.File("w.npz"));
        using var numpy = ZipFile.OpenRead(Fixture("weights.npz"));
        Assert.Equal(numpy.Entries.Select(e => e.FullName), ours.Entries.Select(e => e.FullName));
        foreach (var e in ours.Entries)
        {
            Assert.Equal(Contents(numpy.GetEntry(e.FullName)!), Contents(e));
            Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime);
            if (compressed) Assert.True(e.CompressedLength < e.Length, $"{e.FullName} is not deflated");
            else Assert.Equal(e.Length, e.CompressedLength);
        }
    }

    static byte[] Contents(ZipArchiveEntry e)
    {
        var ms = new MemoryStream();
        using (var s = e.Open()) s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void SaveReplacesTheFileAtomically()
    {
        using var dir = new TempDir();
        string path = dir.File("w.npz");
        Npz.Save(path, new Dictionary<string, NDArray> { ["a"] = NDArray.Ones(3) });
        Npz.Save(path, Weights(), compressed: true);
        AssertSame(Weights(), Npz.Load(path));
        Assert.Equal(["w.npz"], dir.Files());

        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<ArgumentException>(() =>
            Npz.Save(path, new Dictionary<string, NDArray> { ["l1/W"] = NDArray.Ones(2), ["l1/b"] = null! }));
        Assert.Contains("'l1/b'", e.Message);
        Assert.Throws<IOException>(() => Npz.Save(path, new FailingDictionary(Weights())));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["w.npz"], dir.Files());
    }

    // Enumerates normally once (the validation pass), then fails after one array, like a full disk.
    sealed class FailingDictionary(OrderedDictionary<string, NDArray> inner) : IReadOnlyDictionary<string, NDArray>
    {
        int passes;

        public IEnumerator<KeyValuePair<string, NDArray>> GetEnumerator()
        {
            bool fail = passes++ > 0;
            foreach (var kv in inner)
            {
                yield return kv;
                if (fail) throw new IOException("disk full");
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public NDArray this[string key] => inner[key];
        public IEnumerable<string> Keys => inner.Keys;
        public IEnumerable<NDArray> Values => inner.Values;
        public int Count => inner.Count;
        public bool ContainsKey(string key) => inner.ContainsKey(key);
        public bool TryGetValue(string key, out NDArray value) => inner.TryGetValue(key, out value!);
    }

    [Fact]
    public void SaveRejectsMoreDimensionsThanNumPySupports()
    {
        using var dir = new TempDir();
        var arrays = new Dictionary<string, NDArray> { ["x"] = NDArray.Zeros(Enumerable.Repeat(1, 33).ToArray()) };
        var e = Assert.Throws<ArgumentException>(() => Npz.Save(dir.File("w.npz"), arrays));
        Assert.Contains("Npz.Save: key 'x'", e.Message);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void MissingFileIsNotReportedAsCorrupt()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => Npz.Load(dir.File("missing.npz")));
    }

    // ---- corrupt input: an InvalidDataException naming the file, the entry and the problem ----

    static InvalidDataException LoadCorrupt(byte[] bytes, params string[] phrases)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.npz");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npz.Load(path));
        Assert.Contains($"'{path}'", e.Message);
        foreach (var p in phrases) Assert.Contains(p, e.Message);
        return e;
    }

    [Fact]
    public void RejectsFilesThatAreNotZips()
    {
        LoadCorrupt([], "not a valid .npz (zip) file");
        LoadCorrupt(File.ReadAllBytes(Fixture("f8_2x3.npy")), "not a valid .npz (zip) file");
    }

    [Theory]
    [InlineData("weights.npz")]
    [InlineData("weights_compressed.npz")]
    public void RejectsEveryTruncation(string file)
    {
        var bytes = File.ReadAllBytes(Fixture(file));
        using var dir = new TempDir();
        string path = dir.File("bad.npz");
        for (int n = 0; n < bytes.Length; n++)
        {
            File.WriteAllBytes(path, bytes[..n]);
            var e = Assert.Throws<InvalidDataException>(() => Npz.Load(path));
            Assert.Contains(path, e.Message);
        }
    }

    [Fact]
    public void RejectsEntriesThatAreNotNpyFiles()
    {
        var npy = Saved(NDArray.Ones(2, 2));
        LoadCorrupt(Zip(("l1/W.npy", npy), ("readme.txt", "hello"u8.ToArray())), "entry 'readme.txt'", "not a .npy array");
        LoadCorrupt(Zip(("l1/W.npy", "hello"u8.ToArray())), "entry 'l1/W.npy'", "does not start with the magic");
        LoadCorrupt(Zip(("l1/W.npy", npy[..^3])), "entry 'l1/W.npy'", "the data is shorter than the shape requires");
        LoadCorrupt(Zip(("l1/W.npy", [.. npy, 0])), "entry 'l1/W.npy'", "data follows the array");
        LoadCorrupt(Zip(("l1/W.npy", NpyFile("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]))),
            "entry 'l1/W.npy'", "unsupported dtype '>f8'");
    }

    [Fact]
    public void LoadWithAFilterReadsOnlyTheKeysItAccepts()
    {
        // 'big/W' is not an array at all: only reading it would find that out.
        var bytes = Zip(("l1/W.npy", Saved(NDArray.Ones(2, 2))), ("big/W.npy", "not an array"u8.ToArray()), ("l1/b.npy", Saved(NDArray.Zeros(2))));
        using var dir = new TempDir();
        string path = dir.File("w.npz");
        File.WriteAllBytes(path, bytes);
        var arrays = Npz.Load(path, key => !key.StartsWith("big/", StringComparison.Ordinal));
        Assert.Equal(["l1/W", "l1/b"], arrays.Keys);
        Reference.AssertClose(NDArray.Ones(2, 2), arrays["l1/W"], 0, 0);
        Assert.Empty(Npz.Load(path, _ => false));
        Assert.Contains("entry 'big/W.npy'", Assert.Throws<InvalidDataException>(() => Npz.Load(path)).Message);
        Assert.Throws<ArgumentNullException>(() => Npz.Load(path, null!));
    }

    [Fact]
    public void LoadWithAFilterStillRejectsBadEntryNames()
    {
        var npy = Saved(NDArray.Ones(2));
        using var dir = new TempDir();
        string path = dir.File("bad.npz");
        File.WriteAllBytes(path, Zip(("l1/W.npy", npy), ("l1/W.npy", npy)));
        Assert.Contains("a second entry for key 'l1/W'", Assert.Throws<InvalidDataException>(() => Npz.Load(path, _ => false)).Message);
        File.WriteAllBytes(path, Zip(("l1/W.npy", npy), ("readme.txt", npy)));
        Assert.Contains("not a .npy array", Assert.Throws<InvalidDataException>(() => Npz.Load(path, _ => false)).Message);
    }

    [Fact]
    public void RejectsDuplicateKeys()
    {
        var npy = Saved(NDArray.Ones(2));
        LoadCorrupt(Zip(("l1/W.npy", npy), ("l1/W.npy", npy)), "entry 'l1/W.npy'", "a second entry for key 'l1/W'");
    }

    [Fact]
    public void DetectsCorruptDataWithTheCrc()
    {
        var bytes = File.ReadAllBytes(Fixture("weights.npz"));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var l2W = Contents(zip.GetEntry("l2/W.npy")!);
        int at = bytes.AsSpan().IndexOf(l2W) + l2W.Length - 3;
        bytes[at] ^= 0x10;
        LoadCorrupt(bytes, "entry 'l2/W.npy'", "CRC-32 mismatch");
    }

    [Fact]
    public void RejectsEncryptedEntries()
    {
        var bytes = Zip(("a.npy", Saved(NDArray.Ones(2))));
        int central = bytes.AsSpan().IndexOf("PK\x01\x02"u8);
        bytes[central + 8] |= 1; // general purpose flag bit 0: encrypted
        LoadCorrupt(bytes, "entry 'a.npy'", "encrypted");
    }

    [Theory]
    [InlineData("weights.npz")]
    [InlineData("weights_compressed.npz")]
    public void EveryByteFlipEitherLoadsTheSameArraysOrIsReportedAsCorrupt(string file)
    {
        var original = File.ReadAllBytes(Fixture(file));
        var expected = Weights().Values.ToArray();
        using var dir = new TempDir();
        string path = dir.File("flipped.npz");
        for (int i = 0; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
            OrderedDictionary<string, NDArray> loaded;
            try { loaded = Npz.Load(path); }
            catch (InvalidDataException) { continue; }
            // Names, dates and other metadata may change undetected, the arrays may not.
            Assert.Equal(expected.Length, loaded.Count);
            for (int k = 0; k < expected.Length; k++)
                Reference.AssertClose(expected[k], loaded.GetAt(k).Value, 0, 0, $"byte {i} flipped");
        }
    }
}
