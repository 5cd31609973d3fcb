using System.IO.Compression;

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

    /// <summary>The bytes of a file, decompressed when it is gzip (recognised by its magic bytes, not its name).</summary>
    public byte[] ReadAll(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(path, $"the gzip data is damaged ({e.Message})", e);
        }
    }

    /// <summary>An error for a file whose contents are not what the dataset expects.</summary>
    public InvalidDataException Corrupt(string path, string what, Exception? inner = null) =>
        new($"{dataset}: '{path}' is corrupt or not the expected file: {what}.", inner);
}
