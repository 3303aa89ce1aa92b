using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>Path mapping, node probing, directory creation and durability helpers.</summary>
internal sealed partial class LocalBackend
{
    private enum NodeKind
    {
        Missing,
        File,
        Directory,
    }

    /// <summary>VfsPath already rejects "..", "." and NUL, so the result always lies inside the root.</summary>
    private string FullPath(VfsPath path) =>
        path.IsRoot ? Options.Root : Path.Combine(Options.Root, path.Value.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// What is at a path, from one lstat. A symlink counts as missing (it is never listed either),
    /// except for the root itself, which may well be a link to the real storage.
    /// </summary>
    private static NodeKind Kind(FileInfo info, VfsPath path)
    {
        FileAttributes attributes;
        try
        {
            attributes = info.Attributes;
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }

        if ((int)attributes == -1)
        {
            return NodeKind.Missing;
        }

        if ((attributes & FileAttributes.ReparsePoint) != 0 && !path.IsRoot)
        {
            return NodeKind.Missing;
        }

        return (attributes & FileAttributes.Directory) != 0 ? NodeKind.Directory : NodeKind.File;
    }

    private static void RequireFile(VfsPath path, string full)
    {
        switch (Kind(new FileInfo(full), path))
        {
            case NodeKind.Missing:
                throw VfsException.NotFound(path);
            case NodeKind.Directory:
                throw VfsException.IsDirectory(path);
        }
    }

    private static void RequireDirectory(VfsPath dir, string full)
    {
        switch (Kind(new FileInfo(full), dir))
        {
            case NodeKind.Missing:
                throw VfsException.DirNotFound(dir);
            case NodeKind.File:
                throw VfsException.NotDirectory(dir);
        }
    }

    /// <summary>
    /// mkdir -p, top-down from the first existing ancestor (which may lie above the root: the root
    /// is created lazily), syncing each parent so that the new directory entries survive a crash.
    /// </summary>
    private void CreateDirectories(VfsPath dir)
    {
        var full = FullPath(dir);
        if (Directory.Exists(full))
        {
            return;
        }

        var missing = new Stack<string>();
        for (var p = full; !string.IsNullOrEmpty(p) && !Directory.Exists(p); p = Path.GetDirectoryName(p))
        {
            missing.Push(p);
        }

        while (missing.TryPop(out var p))
        {
            try
            {
                Directory.CreateDirectory(p);
            }
            catch (IOException e) when (LocalErrors.KindOf(e) == VfsErrorKind.AlreadyExists)
            {
                throw new VfsException(VfsErrorKind.NotDirectory, $"'{dir}' or one of its parents is a file", dir.Value, e);
            }
            catch (Exception e) when (LocalErrors.TryMap(e, dir, isDirectoryOperation: true, out var mapped))
            {
                throw mapped;
            }

            if (Path.GetDirectoryName(p) is { Length: > 0 } parent)
            {
                SyncDirectory(parent, dir);
            }
        }
    }

    private static void SyncDirectory(string full, VfsPath path) => Io(path, () => FileSync.SyncDirectory(full));

    /// <summary>Best-effort removal of a file a failed write left behind; the write's own error is the one reported.</summary>
    private static void DeleteLeftover(string full)
    {
        try
        {
            File.Delete(full);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Io(VfsPath path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }
    }

    private static T Io<T>(VfsPath path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }
    }
}
