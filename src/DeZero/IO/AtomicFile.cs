namespace DeZero.IO;

internal static class AtomicFile
{
    /// <summary>
    /// Writes a file through a temporary file in the same folder that then replaces <paramref name="path"/>,
    /// so readers never see a half-written file and a failed write leaves the old file intact.
    /// </summary>
    internal static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is ours, not the user's: name the path they gave.
            string message = $"Cannot write '{path}': {e.Message.Replace(temp, full)}";
            throw e switch
            {
                UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
                DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
                _ => new IOException(message, e),
            };
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
