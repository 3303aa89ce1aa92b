using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>Server-side copy and move (rename), and free space.</summary>
internal sealed partial class LocalBackend
{
    /// <summary>Copies to a temporary name, syncs it and renames it over the target, so a failed copy leaves no partial file.</summary>
    public ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = FullPath(from);
        RequireFile(from, source);
        var target = PrepareTarget(to);
        var temp = FullPath(TempNames.For(to));
        try
        {
            Io(from, () => File.Copy(source, temp, overwrite: false));
            if (_xattr)
            {
                CopyMetadata(StatFile(from, source), temp, to);
            }

            Io(to, () =>
            {
                using var handle = File.OpenHandle(temp, FileMode.Open, FileAccess.Write);
                RandomAccess.FlushToDisk(handle);
            });
            Io(to, () => File.Move(temp, target, overwrite: true));
        }
        catch
        {
            DeleteLeftover(temp);
            throw;
        }

        SyncDirectory(Path.GetDirectoryName(target)!, to);
        DeleteLegacyRecord(to);
        return ValueTask.FromResult(StatFile(to, target));
    }

    /// <summary>rename(2): atomic replacement of the target, made durable by syncing the directory (or both directories).</summary>
    public ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var source = FullPath(from);
        RequireFile(from, source);
        var target = PrepareTarget(to);
        try
        {
            File.Move(source, target, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            throw VfsException.NotFound(from);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, to, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }

        // The directory fsync waits for the journal: on a pool thread, so that a server running its
        // request pipeline inline on the socket event threads (GatewayHostSettings.InlineSocketIo)
        // keeps reading the other connections' bodies meanwhile.
        return new ValueTask<Entry>(Task.Run(() =>
        {
            var targetDir = Path.GetDirectoryName(target)!;
            SyncDirectory(targetDir, to);
            var sourceDir = Path.GetDirectoryName(source)!;
            if (!string.Equals(sourceDir, targetDir, StringComparison.Ordinal))
            {
                SyncDirectory(sourceDir, from);
            }

            MoveLegacyRecord(from, target, to);
            return StatFile(to, target);
        }, CancellationToken.None));
    }

    public ValueTask<AboutInfo> AboutAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The root may not exist yet; the nearest existing ancestor is on the same file system.
        var existing = Options.Root;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { Length: > 0 } parent)
        {
            existing = parent;
        }

        var drive = Io(VfsPath.Root, () => new DriveInfo(existing));
        return ValueTask.FromResult(Io(VfsPath.Root, () =>
            new AboutInfo(drive.TotalSize, drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace)));
    }

    private string PrepareTarget(VfsPath to)
    {
        if (to.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        var target = FullPath(to);
        if (Kind(new FileInfo(target), to) == NodeKind.Directory)
        {
            throw VfsException.IsDirectory(to);
        }

        CreateDirectories(to.Parent);
        return target;
    }

    private static Entry StatFile(VfsPath path, string full)
    {
        var info = new FileInfo(full);
        return Io(path, () => Entry.File(path, info.Length, info.LastWriteTimeUtc));
    }
}
