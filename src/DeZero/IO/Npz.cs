using System.Collections.ObjectModel;
using System.IO.Compression;

namespace DeZero.IO;

/// <summary>
/// NumPy's .npz format: a zip of <c>&lt;key&gt;.npy</c> entries, as written by <c>np.savez</c> and
/// <c>np.savez_compressed</c> (the book's <c>save_weights</c> files, keyed <c>l1/W</c>, <c>l1/b</c>, …).
/// </summary>
public static class Npz
{
    // np.savez stamps every entry with the zip epoch, which makes its files reproducible.
    static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes the arrays as entries <c>&lt;key&gt;.npy</c> in enumeration order, deflated when <paramref name="compressed"/>
    /// (np.savez_compressed) and stored otherwise (np.savez); the file is replaced atomically.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, NDArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (key, a) in arrays)
        {
            if (a is null) throw new ArgumentException($"Npz.Save: the array for key '{key}' is null.", nameof(arrays));
            Npy.Check(a, $"Npz.Save: key '{key}'");
        }
        var level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        AtomicFile.Write(path, fs =>
        {
            using var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, a) in arrays)
            {
                var entry = zip.CreateEntry(key + ".npy", level);
                entry.LastWriteTime = ZipEpoch;
                using var s = entry.Open();
                Npy.Write(s, a);
            }
        });
    }

    /// <summary>
    /// Reads every array of an .npz file, keyed by entry name without <c>.npy</c>, in the order of the
    /// file (an <see cref="OrderedDictionary{TKey, TValue}"/>, so saving it again keeps that order).
    /// Throws <see cref="InvalidDataException"/> naming the file and entry for anything but a valid .npz.
    /// </summary>
    public static OrderedDictionary<string, NDArray> Load(string path) => Load(path, static _ => true);

    /// <summary>
    /// Reads the arrays whose key <paramref name="include"/> accepts, as <see cref="Load(string)"/> reads them all. The
    /// other entries are neither read nor decompressed (only their names are checked), so a model that needs part of a
    /// large file, such as VGG16 without its 472 MiB classifier, never holds the rest.
    /// </summary>
    public static OrderedDictionary<string, NDArray> Load(string path, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(include);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ZipArchive zip;
        ReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            zip = new ZipArchive(fs, ZipArchiveMode.Read);
            entries = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw Npy.Corrupt($"Npz.Load: '{path}'", $"not a valid .npz (zip) file: {e.Message.TrimEnd('.')}", e);
        }
        using (zip)
        {
            var arrays = new OrderedDictionary<string, NDArray>();
            var keys = new HashSet<string>();
            foreach (var entry in entries)
            {
                string source = $"Npz.Load: '{path}', entry '{entry.FullName}'";
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                    throw Npy.Corrupt(source, "not a .npy array (an .npz file holds only <key>.npy entries)");
                string key = entry.FullName[..^4];
                if (!keys.Add(key)) throw Npy.Corrupt(source, $"a second entry for key '{key}'");
                if (!include(key)) continue;
                if (entry.IsEncrypted) throw Npy.Corrupt(source, "encrypted entries are not supported");
                arrays.Add(key, ReadEntry(entry, source));
            }
            return arrays;
        }
    }

    static NDArray ReadEntry(ZipArchiveEntry entry, string source)
    {
        Stream raw;
        try { raw = entry.Open(); }
        catch (InvalidDataException e) { throw Npy.Corrupt(source, $"cannot be opened: {e.Message.TrimEnd('.')}", e); }
        using (raw)
        {
            var s = new Crc32ReadStream(raw);
            var a = Npy.Read(s, source, entry.Length);
            if (Npy.ReadFully(s, stackalloc byte[1], source, "the end of the entry") > 0)
                throw Npy.Corrupt(source, "data follows the array; an entry holds one array");
            if (s.BytesRead != entry.Length)
                throw Npy.Corrupt(source, $"the entry holds {s.BytesRead} bytes but the zip directory says {entry.Length}");
            if (s.Crc32 != entry.Crc32)
                throw Npy.Corrupt(source, $"CRC-32 mismatch (stored {entry.Crc32:x8}, computed {s.Crc32:x8}): the entry is corrupt");
            return a;
        }
    }
}
