namespace Nabla.IO;

/// <summary>
/// Writes a file so that a crash or an exception never leaves it half written: the bytes go to a temporary
/// file in the same folder (so the rename cannot cross file systems), are flushed to disk, and the temporary
/// file is then renamed over the target in one step. On failure the temporary file is removed and the
/// target keeps its old contents.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        // Hidden, unique and recognisable: a leftover from a killed process is easy to spot and delete.
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(file);
                // Flush to the device before the rename: otherwise a power cut could persist the rename first.
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { } // best effort: the original exception is the one that matters
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
