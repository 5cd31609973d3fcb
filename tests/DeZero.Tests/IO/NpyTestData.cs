using System.Text;
using System.Text.Json;

namespace DeZero.Tests.IO;

/// <summary>The NumPy-written fixtures of tests/data/npy (tools/gen_npy_fixtures.py) and helpers to build and damage files.</summary>
static class NpyTestData
{
    public static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "data", "npy", file);

    /// <summary>The array NumPy stored in fixture <paramref name="name"/> (or, for an npz, the object of its arrays).</summary>
    public static JsonElement Expected(string name) => Reference.Load("npy/expected").GetProperty(name);

    /// <summary>One array of every dtype and of 0-d, 1-d, 3-d and empty shapes, with values that are not all alike.</summary>
    public static IEnumerable<NDArray> Samples()
    {
        int[][] shapes = [[], [5], [2, 3, 4], [0], [2, 0, 3]];
        foreach (var dtype in new[] { DType.Float64, DType.Float32, DType.Int64, DType.Int32, DType.Bool })
            foreach (var shape in shapes)
            {
                var a = NDArray.Zeros(shape, dtype);
                for (int i = 0; i < a.Size; i++)
                    a.SetFlat(i, dtype == DType.Bool ? (i * 7 % 3 == 0 ? 1 : 0) : (i - 5) * (dtype.IsFloat() ? 0.37 : 1000003));
                yield return a;
            }
    }

    /// <summary>A .npy file with the given header text (padded like NumPy's) and data bytes.</summary>
    public static byte[] NpyFile(string header, byte[] data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        string padded = header + new string(' ', 63 - (prefix + header.Length) % 64) + "\n";
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(padded);
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)text.Length) : BitConverter.GetBytes((uint)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public static byte[] Saved(NDArray a)
    {
        var ms = new MemoryStream();
        DeZero.IO.Npy.Save(ms, a);
        return ms.ToArray();
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dezero-io-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string[] Files() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A stream that cannot seek nor report its length, like a network or decompression stream.</summary>
sealed class NonSeekableStream(byte[] data) : Stream
{
    readonly MemoryStream inner = new(data);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7));
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
