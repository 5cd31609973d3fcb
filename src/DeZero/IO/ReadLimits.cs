namespace DeZero.IO;

/// <summary>
/// The limit the file readers (.npy, .npz, MNIST/Fashion-MNIST IDX, CIFAR-10 batches) check every size a file declares
/// against before they allocate, so a small or compressed file that claims gigabytes (a decompression bomb) fails fast
/// with an <see cref="InvalidDataException"/> naming the file instead of exhausting memory.
/// </summary>
public static class ReadLimits
{
    static long maxArrayBytes = DefaultMaxArrayBytes;

    /// <summary>The default of <see cref="MaxArrayBytes"/>: 2 GiB.</summary>
    public const long DefaultMaxArrayBytes = 2L << 30;

    /// <summary>
    /// The most bytes one array read from a file may take in memory (after conversion, e.g. IDX bytes to float32);
    /// a file declaring more is rejected before anything is allocated. Raise it to read larger files.
    /// </summary>
    public static long MaxArrayBytes
    {
        get => Volatile.Read(ref maxArrayBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxArrayBytes));
            Volatile.Write(ref maxArrayBytes, value);
        }
    }

    /// <summary>Throws naming <paramref name="source"/> when an array of <paramref name="bytes"/> bytes exceeds the limit.</summary>
    internal static void Check(long bytes, string source, string what)
    {
        long max = MaxArrayBytes;
        if (bytes > max)
            throw new InvalidDataException($"{source}: {what} declares {bytes} bytes, more than the limit of {max} bytes (DeZero.IO.ReadLimits.MaxArrayBytes; raise it to read larger files).");
    }

    /// <summary>
    /// Exactly <paramref name="count"/> bytes from the stream. A seekable stream must hold them before anything is
    /// allocated; otherwise the buffer grows only as data arrives, so a stream that lies about its size costs at most
    /// twice what it really holds. Returns null when the stream ends early (<paramref name="got"/> says how much came).
    /// </summary>
    internal static byte[]? ReadExactly(Stream s, long count, out long got)
    {
        got = s.CanSeek ? s.Length - s.Position : count;
        if (got < count) return null;
        var buffer = new byte[s.CanSeek ? count : Math.Min(count, InitialCapacity)];
        int done = 0;
        while (true)
        {
            done += s.ReadAtLeast(buffer.AsSpan(done), buffer.Length - done, throwOnEndOfStream: false);
            if (done < buffer.Length) { got = done; return null; }
            if (done == count) { got = count; return buffer; }
            Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
        }
    }

    /// <summary>All the bytes up to the end of the stream, or null as soon as there are more than <paramref name="max"/>.</summary>
    internal static byte[]? ReadToEnd(Stream s, long max)
    {
        max = Math.Min(max, Array.MaxLength - 1);
        var buffer = new byte[Math.Min(max + 1, s.CanSeek ? s.Length - s.Position + 1 : InitialCapacity)];
        int done = 0;
        while (true)
        {
            done += s.ReadAtLeast(buffer.AsSpan(done), buffer.Length - done, throwOnEndOfStream: false);
            if (done < buffer.Length) return buffer[..done];
            if (done > max) return null;
            Array.Resize(ref buffer, (int)Math.Min(max + 1, 2L * buffer.Length));
        }
    }

    const int InitialCapacity = 1 << 20;
}
