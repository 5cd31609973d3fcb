using System.Buffers.Binary;
using System.Text;

namespace TorchSharpBench;

/// <summary>
/// TorchSharp 0.107.0's libLibTorchSharp.so asks for GLIBCXX_3.4.32 for one symbol no code calls, and Debian 12's
/// libstdc++ stops at 3.4.30. Marking that version requirement weak (VER_FLG_WEAK in .gnu.version_r) in the build
/// output's copy — never the NuGet cache — lets the loader accept it.
/// </summary>
static class ElfPatch
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public static void MakeVersionWeak(string directory, string version)
    {
        foreach (var path in Directory.GetFiles(directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            if (Patch(bytes, version)) File.WriteAllBytes(path, bytes);
        }
    }

    static bool Patch(byte[] elf, string version)
    {
        var s = elf.AsSpan();
        if (s.Length < 64 || s[0] != 0x7f || s[1] != (byte)'E' || s[4] != 2) return false; // ELF64 only
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(s[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3C..]);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            var sh = s[(int)(shoff + i * shentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            long off = BinaryPrimitives.ReadInt64LittleEndian(sh[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            long strOff = BinaryPrimitives.ReadInt64LittleEndian(s[(int)(shoff + link * shentsize + 0x18)..]);
            long vn = off;
            while (true)
            {
                int cnt = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(vn + 2)..]);
                long aux = vn + BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 8)..]);
                for (int k = 0; k < cnt; k++)
                {
                    int name = (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(aux + 8)..]);
                    var str = s[(int)(strOff + name)..];
                    if (Encoding.ASCII.GetString(str[..str.IndexOf((byte)0)]) == version)
                    {
                        var flags = s[(int)(aux + 4)..];
                        ushort f = BinaryPrimitives.ReadUInt16LittleEndian(flags);
                        if ((f & VerFlgWeak) == 0) { BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(f | VerFlgWeak)); changed = true; }
                    }
                    aux += BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(aux + 12)..]);
                }
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(s[(int)(vn + 12)..]);
                if (next == 0) break;
                vn += next;
            }
        }
        return changed;
    }
}
