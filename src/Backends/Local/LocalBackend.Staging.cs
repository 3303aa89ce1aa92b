using Microsoft.Win32.SafeHandles;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>Creating an upload's temp file together with the directories it needs, crash-safely.</summary>
internal sealed partial class LocalBackend
{
    private const int StagingAttempts = 4;

    /// <summary>
    /// Opens (creates) the temp file of an upload whose directories may not exist yet, such that a
    /// crash never leaves a new directory without the temp file in it (issue 12: an empty leftover
    /// directory is a "dir/" key in S3 listings, and the sweeper cannot tell it from a folder a client
    /// made). The missing directories are built under a temp name in the deepest existing ancestor,
    /// the file is created inside, and the top directory is renamed into place: a crash before the
    /// rename leaves a temp-named directory (hidden, swept at startup); after it the new directories
    /// hold the temp file, which the sweeper removes together with the directories only it kept.
    /// A concurrent upload that creates the same directory first wins the rename; this one then
    /// starts over inside it.
    /// </summary>
    /// <param name="created">The top directory this call created for the file (null when it created none, or mkdir -p ran): a failed upload removes what it created (<see cref="DeleteCreatedDirectories"/>).</param>
    private SafeFileHandle OpenTempWithDirectories(VfsPath path, string full, out string? created)
    {
        created = null;
        for (var attempt = 0; ; attempt++)
        {
            var dir = Path.GetDirectoryName(full)!;
            var existing = dir;
            var missing = new Stack<string>();
            while (!Directory.Exists(existing))
            {
                missing.Push(Path.GetFileName(existing));
                existing = Path.GetDirectoryName(existing)!;
            }

            // Nothing to create, the root itself missing (created lazily, outside our tree), or a
            // race lost several times: plain mkdir -p.
            if (missing.Count == 0 || existing.Length < Options.Root.TrimEnd(Path.DirectorySeparatorChar).Length || attempt == StagingAttempts)
            {
                CreateDirectories(path.Parent);
                return OpenNew(path, full);
            }

            var first = missing.Pop();
            var staging = Path.Combine(existing, TempNames.For(path).Name);
            var target = Path.Combine(existing, first);
            SafeFileHandle? handle = null;
            try
            {
                var inner = Path.Combine([staging, .. missing]);
                Io(path, () => Directory.CreateDirectory(inner));
                handle = Io(path, () => File.OpenHandle(Path.Combine(inner, Path.GetFileName(full)), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete));
                Directory.Move(staging, target);
                SyncDirectory(existing, path);
                created = target;
                return handle;
            }
            catch (IOException) when (Directory.Exists(target) || File.Exists(target))
            {
                // Another upload created the directory meanwhile: look again. A file in the way is
                // reported by mkdir -p below (NotDirectory).
                handle?.Dispose();
                DeleteStaging(staging);
                if (File.Exists(target))
                {
                    attempt = StagingAttempts - 1;
                }
            }
            catch
            {
                handle?.Dispose();
                DeleteStaging(staging);
                throw;
            }
        }
    }

    private static SafeFileHandle OpenNew(VfsPath path, string full) =>
        Io(path, () => File.OpenHandle(full, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete));

    /// <summary>
    /// After a failed upload's temp file is gone: removes the directories its staging created, from
    /// the file's directory up to <paramref name="created"/>, while they are empty (issue 12: an empty
    /// leftover directory is a "dir/" key in S3 listings). One that another upload put a file in
    /// meanwhile is not empty and stays, with those above it. Best effort, like <see cref="DeleteLeftover"/>.
    /// </summary>
    private static void DeleteCreatedDirectories(string full, string created)
    {
        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.StartsWith(created, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            try
            {
                Directory.Delete(dir, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static void DeleteStaging(string staging)
    {
        try
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
