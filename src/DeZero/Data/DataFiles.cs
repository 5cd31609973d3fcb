using System.IO.Compression;
using DeZero.IO;

namespace DeZero.Data;

/// <summary>Finds and reads the files of the datasets that load from a folder (MNIST, Fashion-MNIST, CIFAR-10).</summary>
internal sealed class DataFiles
{
    readonly string dataset, howToGet;

    /// <summary>The folder from <paramref name="root"/>, else the environment variable, else <paramref name="fallback"/>; it must exist.</summary>
    public DataFiles(string dataset, string? root, string environmentVariable, string fallback, string howToGet)
    {
        this.dataset = dataset;
        this.howToGet = howToGet;
        var env = Environment.GetEnvironmentVariable(environmentVariable);
        (Folder, string source) =
            !string.IsNullOrEmpty(root) ? (root, "the root argument") :
            !string.IsNullOrEmpty(env) ? (env, $"the environment variable {environmentVariable}") :
            (fallback, $"the default; pass root: or set {environmentVariable} to use another folder");
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException($"{dataset}: the data folder '{Path.GetFullPath(Folder)}' does not exist (from {source}). {howToGet}");
    }

    /// <summary>The data folder.</summary>
    public string Folder { get; }

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in the folder.</summary>
    public string Find(string name)
    {
        var plain = Path.GetFullPath(Path.Combine(Folder, name));
        if (File.Exists(plain)) return plain;
        if (File.Exists(plain + ".gz")) return plain + ".gz";
        throw new FileNotFoundException($"{dataset}: neither '{plain}' nor '{plain}.gz' exists. {howToGet}", plain);
    }

    /// <summary>
    /// Opens a file for reading, decompressing it as it is read when it is gzip (recognised by its magic bytes, not its
    /// name). Whatever goes wrong while reading it (damaged gzip data included) is reported by <see cref="Read{T}"/>.
    /// </summary>
    public Stream Open(string path)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        fs.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(fs, CompressionMode.Decompress) : fs;
    }

    /// <summary>Runs <paramref name="read"/> on the opened file; a damaged gzip stream becomes an error naming the file and the dataset.</summary>
    public T Read<T>(string path, Func<Stream, T> read)
    {
        using var s = Open(path);
        try { return read(s); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(dataset + ":", StringComparison.Ordinal))
        {
            throw Corrupt(path, $"the gzip data is damaged ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>Throws naming the file and the dataset when an array of <paramref name="bytes"/> bytes exceeds <see cref="ReadLimits.MaxArrayBytes"/>.</summary>
    public void CheckLimit(string path, long bytes, string what) => ReadLimits.Check(bytes, $"{dataset}: '{path}'", what);

    /// <summary>An error for a file whose contents are not what the dataset expects.</summary>
    public InvalidDataException Corrupt(string path, string what, Exception? inner = null) =>
        new($"{dataset}: '{path}' is corrupt or not the expected file: {what}.", inner);
}
