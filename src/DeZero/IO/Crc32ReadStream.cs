using System.Buffers.Binary;

namespace DeZero.IO;

// A read-only pass-through stream that counts the bytes read and their CRC-32 (the zip checksum),
// because ZipArchive does not check an entry's CRC-32 itself.
internal sealed class Crc32ReadStream(Stream inner) : Stream
{
    // Slicing-by-8 tables: Table[k * 256 + b] is the CRC of byte b followed by k zero bytes.
    static readonly uint[] Table = MakeTable();

    uint crc = 0xFFFFFFFF;

    public long BytesRead { get; private set; }

    public uint Crc32 => ~crc;

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        crc = Update(crc, buffer[..n]);
        BytesRead += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    internal static uint Update(uint c, ReadOnlySpan<byte> data)
    {
        var t = Table;
        for (; data.Length >= 8; data = data[8..])
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c, hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = t[0x700 + (lo & 0xFF)] ^ t[0x600 + ((lo >> 8) & 0xFF)] ^ t[0x500 + ((lo >> 16) & 0xFF)] ^ t[0x400 + (lo >> 24)]
              ^ t[0x300 + (hi & 0xFF)] ^ t[0x200 + ((hi >> 8) & 0xFF)] ^ t[0x100 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
        }
        foreach (byte b in data) c = t[(byte)(c ^ b)] ^ (c >> 8);
        return c;
    }

    static uint[] MakeTable()
    {
        var t = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        for (int i = 256; i < t.Length; i++) t[i] = (t[i - 256] >> 8) ^ t[(byte)t[i - 256]];
        return t;
    }
}
