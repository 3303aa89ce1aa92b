namespace VfsGateway.TestSupport;

/// <summary>
/// A fresh directory under the system temp dir, removed with everything in it on dispose. The name stays
/// short (a Unix socket path inside it must fit in 108 bytes).
/// </summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string purpose = "t")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gw-test-{purpose}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside this directory (not created).</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A directory inside this directory (created).</summary>
    public string Dir(string name) => Directory.CreateDirectory(Sub(name)).FullName;

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // restic creates its repository files read-only; make everything writable before deleting.
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
        {
            try
            {
                if (!OperatingSystem.IsWindows() && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint))
                {
                    File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        Directory.Delete(Path, recursive: true);
    }
}
