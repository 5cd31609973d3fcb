using DeZero.IO;
using static DeZero.Tests.IO.NpyTestData;

namespace DeZero.Tests.IO;

public class NpyTests
{
    // Fixtures written by np.save (C order, format 1.0): ours must match them byte for byte.
    public static TheoryData<string> SavedByNumPy() =>
        ["f8_2x3", "f4_5", "i8_scalar", "i4_2x2x3", "b1_4", "f8_empty_0x3", "f4_empty_0", "f8_4d", "f8_pad64"];

    public static TheoryData<string> AllFixtures()
    {
        var all = SavedByNumPy();
        all.AddRange("f8_fortran_2x3", "i4_3x2_v2", "i4_3x2_v3");
        return all;
    }

    public static TheoryData<int> SampleIndices() => new(Enumerable.Range(0, Samples().Count()));

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void LoadsNumPyFiles(string name)
    {
        var expected = Reference.Array(Expected(name));
        Reference.AssertClose(expected, Npy.Load(Fixture(name + ".npy")), 0, 0, name);
        using var fs = File.OpenRead(Fixture(name + ".npy"));
        Reference.AssertClose(expected, Npy.Load(fs), 0, 0, name + " (stream)");
        Assert.Equal(fs.Length, fs.Position);
    }

    [Theory]
    [MemberData(nameof(SavedByNumPy))]
    public void WritesTheBytesNumPyWrites(string name)
    {
        var file = File.ReadAllBytes(Fixture(name + ".npy"));
        Assert.Equal(file, Saved(WithNumPyNaN(Reference.Array(Expected(name)))));
        Assert.Equal(file, Saved(Npy.Load(new MemoryStream(file))));
    }

    // np.nan has the sign bit clear; .NET's double.NaN has it set. Data bits are written as they are.
    static NDArray WithNumPyNaN(NDArray a)
    {
        if (a.DType == DType.Float64)
            foreach (ref double x in a.AsSpan<double>())
                if (double.IsNaN(x)) x = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
        return a;
    }

    [Fact]
    public void SaveToPathWritesTheBytesNumPyWritesAndReplacesTheFile()
    {
        using var dir = new TempDir();
        string path = dir.File("a.npy");
        Npy.Save(path, NDArray.Ones(7));
        Npy.Save(path, Reference.Array(Expected("i4_2x2x3")));
        Assert.Equal(File.ReadAllBytes(Fixture("i4_2x2x3.npy")), File.ReadAllBytes(path));
        Assert.Equal(["a.npy"], dir.Files());
    }

    [Theory]
    [MemberData(nameof(SampleIndices))]
    public void RoundTrips(int sample)
    {
        var a = Samples().ElementAt(sample);
        using var dir = new TempDir();
        Npy.Save(dir.File("x.npy"), a);
        Reference.AssertClose(a, Npy.Load(dir.File("x.npy")), 0, 0, "path");
        Reference.AssertClose(a, Npy.Load(new MemoryStream(Saved(a))), 0, 0, "seekable stream");
        Reference.AssertClose(a, Npy.Load(new NonSeekableStream(Saved(a))), 0, 0, "non-seekable stream");
    }

    [Fact]
    public void ReadsConsecutiveArraysFromOneStream()
    {
        var samples = Samples().ToArray();
        var ms = new MemoryStream();
        foreach (var a in samples) Npy.Save(ms, a);
        var bytes = ms.ToArray();
        foreach (var stream in new Stream[] { new MemoryStream(bytes), new NonSeekableStream(bytes) })
            foreach (var a in samples)
                Reference.AssertClose(a, Npy.Load(stream), 0, 0);
    }

    [Fact]
    public void ReadsDataLargerThanTheInitialBufferOfAnUnknownLengthStream()
    {
        var a = NDArray.Arange(0.0, 1000.0, 0.5).Reshape(40, 50);
        var read = Npy.Read(new NonSeekableStream(Saved(a)), "test", unknownLengthCapacityBytes: 24);
        Reference.AssertClose(a, read, 0, 0);
        var e = Assert.Throws<InvalidDataException>(() =>
            Npy.Read(new NonSeekableStream(Saved(a)[..^9]), "test", unknownLengthCapacityBytes: 24));
        Assert.Contains("needs 16000 bytes, found 15991", e.Message);
    }

    [Fact]
    public void ReadsAnyNonZeroByteAsTrue()
    {
        var file = NpyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }", [0, 1, 2, 255]);
        Assert.Equal([false, true, true, true], Npy.Load(new MemoryStream(file)).ToArray<bool>());
    }

    [Fact]
    public void AcceptsHeaderVariantsNumPyAccepts()
    {
        var data = BitConverter.GetBytes(1.5).Concat(BitConverter.GetBytes(-2.0)).ToArray();
        string[] headers =
        [
            "{\"shape\": (2,), \"descr\": \"<f8\", \"fortran_order\": False}",
            "{'descr':'<f8','fortran_order':True,'shape':(2L,)}",
            "{ 'descr' : '<f8' ,\t'fortran_order' : False , 'shape' : ( 1 , 2 , ) , }",
        ];
        foreach (var h in headers)
            Assert.Equal([1.5, -2.0], Npy.Load(new MemoryStream(NpyFile(h, data))).ToArray<double>());
    }

    [Fact]
    public void SaveRejectsMoreDimensionsThanNumPySupports()
    {
        var a = NDArray.Zeros(Enumerable.Repeat(1, 33).ToArray());
        var e = Assert.Throws<ArgumentException>(() => Npy.Save(new MemoryStream(), a));
        Assert.Contains("Npy.Save", e.Message);
        Assert.Contains("32 dimensions", e.Message);
    }

    [Fact]
    public void MissingFileIsNotReportedAsCorrupt()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => Npy.Load(dir.File("missing.npy")));
    }

    // ---- corrupt input: an InvalidDataException naming the file and the problem ----

    static InvalidDataException LoadCorrupt(byte[] bytes, string expectedPhrase)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expectedPhrase, e.Message);
        var fromStream = Assert.Throws<InvalidDataException>(() => Npy.Load(new NonSeekableStream(bytes)));
        Assert.Contains(expectedPhrase, fromStream.Message);
        return e;
    }

    [Fact]
    public void RejectsEmptyFile() => LoadCorrupt([], "empty input");

    [Fact]
    public void RejectsWrongMagic()
    {
        var bytes = Saved(NDArray.Ones(3));
        bytes[1] = (byte)'X';
        LoadCorrupt(bytes, "does not start with the magic");
        LoadCorrupt("PK\x03\x04 a zip file"u8.ToArray(), "does not start with the magic");
    }

    [Fact]
    public void RejectsEveryTruncation()
    {
        var bytes = Saved(NDArray.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } }));
        for (int n = 1; n < bytes.Length; n++)
            Assert.Throws<InvalidDataException>(() => Npy.Load(new MemoryStream(bytes[..n])));
        LoadCorrupt(bytes[..5], "truncated after 5 bytes");
        LoadCorrupt(bytes[..9], "truncated inside the header length");
        LoadCorrupt(bytes[..40], "truncated inside the header (30 of 118 bytes)");
        LoadCorrupt(bytes[..^1], "the data is shorter than the shape requires: (2, 2) float64 needs 32 bytes, found 31");
    }

    [Fact]
    public void RejectsUnsupportedVersion()
    {
        var bytes = Saved(NDArray.Ones(3));
        bytes[6] = 4;
        LoadCorrupt(bytes, "unsupported .npy format version 4.0");
    }

    [Fact]
    public void RejectsOversizedHeader()
    {
        byte[] bytes = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        LoadCorrupt(bytes, "header length 4294967295 exceeds 10000 bytes");
    }

    [Theory]
    [InlineData("'>f8'")]
    [InlineData("'<c16'")]
    [InlineData("'<u1'")]
    [InlineData("'|O'")]
    [InlineData("('<f8',)")]
    public void RejectsUnsupportedDtypes(string descr) =>
        LoadCorrupt(NpyFile($"{{'descr': {descr}, 'fortran_order': False, 'shape': (2,), }}", new byte[16]), $"unsupported dtype {descr}");

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), ", "malformed header")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} extra", "unexpected text after the dict")]
    [InlineData("{'descr': '<f8', 'fortran_order': False 'shape': (2,)}", "malformed header (expected '}'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "malformed header")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'descr': '<f4'}", "duplicate key 'descr'")]
    [InlineData("{'descr': '<f8, 'fortran_order': False, 'shape': (2,)}", "malformed header")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 3: (2,)}", "a dict key must be a string")]
    [InlineData("{'descr': '<f8', 'shape': (2,)}", "the header has keys ['descr', 'shape']")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", "expected 'descr', 'fortran_order' and 'shape'")]
    [InlineData("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", "fortran_order is not True or False")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", "the shape is not a tuple of integers")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': ('2',)}", "the shape is not a tuple of integers")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -1)}", "invalid dimension -1")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296,)}", "invalid dimension 4294967296")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", "invalid or too large integer")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536)}", "more elements than a .NET array can hold")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)}", "33 dimensions")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}\0", "unexpected text after the dict")]
    [InlineData("[('descr', '<f8')]", "malformed header (expected '{'")]
    public void RejectsMalformedHeaders(string header, string problem) =>
        LoadCorrupt(NpyFile(header, new byte[16]), problem);

    [Fact]
    public void RejectsInvalidUtf8InFormat3Header()
    {
        var bytes = NpyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", new byte[16], major: 3);
        bytes[14] = 0xFF;
        LoadCorrupt(bytes, "not valid UTF-8");
    }

    [Fact]
    public void RejectsDataShorterThanTheShape()
    {
        var e = LoadCorrupt(NpyFile("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]),
            "the data is shorter than the shape requires: (2, 3) int32 needs 24 bytes, found 20");
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void RejectsTrailingBytesInAFileButReadsTheFirstArrayOfAStream()
    {
        var bytes = Saved(NDArray.Ones(3)).Concat(new byte[5]).ToArray();
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("x.npy"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Load(dir.File("x.npy")));
        Assert.Contains("5 bytes follow the array data", e.Message);
        Assert.Equal([1.0, 1, 1], Npy.Load(new MemoryStream(bytes)).ToArray<double>());
    }

    [Fact]
    public void EveryByteFlipEitherLoadsOrIsReportedAsCorrupt()
    {
        var original = File.ReadAllBytes(Fixture("f8_2x3.npy"));
        for (int i = 0; i < original.Length; i++)
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var bytes = (byte[])original.Clone();
                bytes[i] ^= mask;
                try { Npy.Load(new MemoryStream(bytes)); }
                catch (InvalidDataException) { }
            }
    }

    [Fact]
    public void ReadsFromAGzipStreamWhosePositionCannotBeRead()
    {
        var a = NDArray.Arange(12.0).Reshape(3, 4);
        var packed = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            Npy.Save(gz, a);
        packed.Position = 0;
        using var unpacked = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionMode.Decompress);
        Assert.Throws<NotSupportedException>(() => unpacked.Position);
        Assert.Equal(a.ToArray<double>(), Npy.Load(unpacked).ToArray<double>());
    }
}
