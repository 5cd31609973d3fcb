using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace DeZero.IO;

/// <summary>
/// NumPy's .npy format: <c>np.save</c> and <c>np.load</c> for one array. Files are written exactly as
/// NumPy 1.24 writes them (format 1.0, little-endian, C order); formats 1.0–3.0 and Fortran-ordered
/// files are read. Dtypes <c>&lt;f8 &lt;f4 &lt;i8 &lt;i4 |b1</c>; a little-endian host is assumed.
/// </summary>
public static class Npy
{
    // Data is read and written in pieces of at most this many bytes (a span cannot cover more than 2 GiB).
    const int ChunkBytes = 1 << 30;

    // Without a known stream length, at most this much is allocated before the data arrives, so a
    // forged shape cannot make us allocate gigabytes for a few bytes of input.
    const int UnknownLengthCapacityBytes = 64 << 20;

    /// <summary>Writes <paramref name="a"/> to the file <paramref name="path"/> (replaced atomically; no extension is appended, unlike np.save).</summary>
    public static void Save(string path, NDArray a)
    {
        ArgumentNullException.ThrowIfNull(path);
        Check(a, "Npy.Save");
        AtomicFile.Write(path, s => Write(s, a));
    }

    /// <summary>Writes <paramref name="a"/> in .npy format at the stream's position, leaving the stream open.</summary>
    public static void Save(Stream stream, NDArray a)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Check(a, "Npy.Save");
        Write(stream, a);
    }

    /// <summary>Reads the array in the .npy file <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file if it is not a valid .npy file.</summary>
    public static NDArray Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        string source = $"Npy.Load: '{path}'";
        var a = Read(fs, source);
        if (fs.Position != fs.Length)
            throw Corrupt(source, $"{fs.Length - fs.Position} bytes follow the array data; a .npy file holds one array (Npy.Load(Stream) reads arrays saved one after another)");
        return a;
    }

    /// <summary>Reads one array from the stream's position and leaves the stream just after it, so consecutive arrays can be read.</summary>
    public static NDArray Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, stream is FileStream fs ? $"Npy.Load: '{fs.Name}'" : "Npy.Load: stream");
    }

    internal static void Check(NDArray a, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Ndim > NpyHeader.MaxDims)
            throw new ArgumentException($"{op}: NumPy supports at most {NpyHeader.MaxDims} dimensions, got shape {ShapeUtil.Str(a.Dims)}.");
    }

    internal static void Write(Stream s, NDArray a)
    {
        s.Write(NpyHeader.Format(a.DType, a.Dims));
        int itemSize = a.DType.ItemSize();
        for (int start = 0; start < a.Size; start += ChunkBytes / itemSize)
            s.Write(Bytes(a.Buffer, itemSize, start, Math.Min(a.Size - start, ChunkBytes / itemSize)));
    }

    /// <summary>Reads one .npy array; every problem with the input is an InvalidDataException prefixed with <paramref name="source"/>.</summary>
    /// <remarks>
    /// The declared size is checked against <see cref="ReadLimits.MaxArrayBytes"/> and against the bytes left in the
    /// stream (its length, or <paramref name="declaredLength"/> for a stream that cannot seek, such as a zip entry
    /// whose directory gives its size) before the array is allocated.
    /// </remarks>
    internal static NDArray Read(Stream s, string source, long? declaredLength = null, int unknownLengthCapacityBytes = UnknownLengthCapacityBytes)
    {
        Span<byte> prefix = stackalloc byte[8];
        int n = ReadFully(s, prefix, source, "the magic");
        if (n == 0) throw Corrupt(source, "empty input, not a .npy file");
        int m = Math.Min(n, NpyHeader.Magic.Length);
        if (!prefix[..m].SequenceEqual(NpyHeader.Magic.AsSpan(0, m)))
            throw Corrupt(source, "not a .npy file (it does not start with the magic string \\x93NUMPY)");
        if (n < prefix.Length) throw Corrupt(source, $"truncated after {n} bytes, inside the magic string and version");
        byte major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw Corrupt(source, $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)");

        var lengthBytes = prefix[..(major == 1 ? 2 : 4)];
        if (ReadFully(s, lengthBytes, source, "the header length") < lengthBytes.Length)
            throw Corrupt(source, "truncated inside the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > NpyHeader.MaxLength)
            throw Corrupt(source, $"the header length {headerLength} exceeds {NpyHeader.MaxLength} bytes (NumPy's max_header_size)");
        var header = new byte[headerLength];
        n = ReadFully(s, header, source, "the header");
        if (n < header.Length) throw Corrupt(source, $"truncated inside the header ({n} of {header.Length} bytes)");

        string text;
        try { text = major == 3 ? new UTF8Encoding(false, true).GetString(header) : Encoding.Latin1.GetString(header); }
        catch (DecoderFallbackException) { throw Corrupt(source, "the format 3.0 header is not valid UTF-8"); }
        var (dtype, shape, fortran, size) = NpyHeader.Parse(text, source);
        int itemSize = dtype.ItemSize();
        long needed = (long)size * itemSize;
        ReadLimits.Check(needed, source, $"the header (shape {ShapeUtil.Str(shape)}, {dtype.Name()})");
        long? available = s.CanSeek ? s.Length - s.Position : declaredLength is { } length ? length - s.Position : null;
        if (available < needed)
            throw Corrupt(source, DataTooShort(shape, dtype, needed, available.Value));

        var buffer = NDArray.Alloc(dtype, available is null ? (int)Math.Min(size, Math.Max(1, unknownLengthCapacityBytes / itemSize)) : size);
        int done = 0;
        while (done < size)
        {
            if (done == buffer.Length)
            {
                var larger = NDArray.Alloc(dtype, (int)Math.Min(size, 2L * buffer.Length));
                Array.Copy(buffer, larger, done);
                buffer = larger;
            }
            long got = ReadElements(s, buffer, itemSize, done, buffer.Length - done, source);
            if (got < (long)(buffer.Length - done) * itemSize)
                throw Corrupt(source, DataTooShort(shape, dtype, needed, (long)done * itemSize + got));
            done = buffer.Length;
        }
        if (buffer is bool[] flags)
            foreach (ref byte b in MemoryMarshal.AsBytes(flags.AsSpan()))
                b = b != 0 ? (byte)1 : (byte)0;

        // A Fortran-ordered file holds the transpose in C order.
        return fortran && shape.Length > 1 && size > 0
            ? new NDArray(buffer, shape.Reverse().ToArray(), dtype).Transpose()
            : new NDArray(buffer, shape, dtype);
    }

    internal static InvalidDataException Corrupt(string source, string what, Exception? inner = null) =>
        new($"{source}: {what}.", inner);

    static string DataTooShort(int[] shape, DType dtype, long needed, long found) =>
        $"the data is shorter than the shape requires: {ShapeUtil.Str(shape)} {dtype.Name()} needs {needed} bytes, found {found}";

    // Reads count elements into buffer[start..]; returns the number of bytes read (fewer at the end of the stream).
    static long ReadElements(Stream s, Array buffer, int itemSize, int start, int count, string source)
    {
        long total = 0;
        for (int k; count > 0; start += k, count -= k)
        {
            k = Math.Min(count, ChunkBytes / itemSize);
            int got = ReadFully(s, Bytes(buffer, itemSize, start, k), source, "the array data");
            total += got;
            if (got < k * itemSize) break;
        }
        return total;
    }

    // Fills as much of buffer as the stream holds; errors of a decompressing stream name the source.
    internal static int ReadFully(Stream s, Span<byte> buffer, string source, string what)
    {
        try { return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Corrupt(source, $"cannot read {what}: {e.Message.TrimEnd('.')}", e);
        }
    }

    // The bytes of elements [start, start + count) of a bool/int/long/float/double array.
    static Span<byte> Bytes(Array buffer, int itemSize, int start, int count) =>
        MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), (nint)start * itemSize), count * itemSize);
}
