using System.IO.Enumeration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Backends.Local;

/// <summary>
/// A directory on a local disk. Writes go straight to the target file (a failed put can leave a
/// partial file, hence <see cref="BackendFeatures.PartialUploads"/>: the Vfs writes to a temporary
/// name and renames it with <see cref="MoveAsync"/>). Files are fsynced before a put returns and
/// the directory after a rename. Symlinks are neither listed nor served (rclone's default).
/// </summary>
internal sealed partial class LocalBackend : IBackend, IServerSideCopy, IServerSideMove, IAbout
{
    private static readonly EnumerationOptions ListOptions = new()
    {
        // The defaults skip hidden (dot) files and swallow unreadable entries; a listing must show both.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Whether object metadata lives in extended attributes (else the Vfs keeps sidecar records).</summary>
    private readonly bool _xattr;

    /// <summary>Sidecar records of an earlier version exist and are read and migrated (only in xattr mode).</summary>
    private readonly bool _legacyRecords;

    public LocalBackend(LocalOptions options, ILogger? logger = null)
    {
        Options = options;
        logger ??= NullLogger.Instance;
        _xattr = LocalXattrProbe.Decide(options, logger);
        _legacyRecords = _xattr && Directory.Exists(Path.Combine(options.Root, MetadataCodec.SidecarRootName));
        Features = BackendFeatures.Discover(
            this,
            canHaveEmptyDirectories: true,
            partialUploads: true,
            caseInsensitive: OperatingSystem.IsWindows() || OperatingSystem.IsMacOS(),
            maxNameBytes: MaxNameBytes) with
        {
            Metadata = _xattr ? this : null,
        };
    }

    /// <summary>NAME_MAX of the file systems the gateway runs on (ext4, xfs, btrfs, tmpfs; APFS and NTFS count 255 characters).</summary>
    internal const int MaxNameBytes = 255;

    public LocalOptions Options { get; }

    public BackendFeatures Features { get; }

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) =>
        List(dir, cancellationToken).ToAsyncEnumerable();

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(FullPath(path));
        return ValueTask.FromResult(Kind(info, path) switch
        {
            NodeKind.File => Entry.File(path, info.Length, info.LastWriteTimeUtc),
            NodeKind.Directory => Entry.Directory(path, info.LastWriteTimeUtc),
            _ => throw VfsException.NotFound(path),
        });
    }

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(path);
        RequireFile(path, full);
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }

        try
        {
            var size = RandomAccess.GetLength(file);
            var (offset, count) = range is { } r ? r.Resolve(size) : (0, size);
            return ValueTask.FromResult<Stream>(new LocalReadStream(file, offset, count));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        var full = FullPath(path);
        var existing = new FileInfo(full);
        if (Kind(existing, path) == NodeKind.Directory)
        {
            throw VfsException.IsDirectory(path);
        }

        // Symlinks are invisible here, so a put replaces the link itself: opening it would write
        // through to wherever it points, possibly outside the root.
        if ((int)existing.Attributes != -1 && (existing.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            Io(path, existing.Delete);
        }

        var overwrote = (int)existing.Attributes != -1;
        SafeFileHandle file;
        string? createdDirectory = null;
        if (TempNames.IsTemp(path.Name))
        {
            file = OpenTempWithDirectories(path, full, out createdDirectory);
        }
        else
        {
            CreateDirectories(path.Parent);
            file = OpenNew(path, full);
        }

        try
        {
            long written;
            DateTime modTime;
            using (file)
            {
                written = await StreamCopier.CopyAsync(content, new LocalWriteStream(file, path), options.Length, null, cancellationToken).ConfigureAwait(false);
                Io(path, () =>
                {
                    if (options.ModTime is { } m)
                    {
                        File.SetLastWriteTimeUtc(file, m.UtcDateTime);
                    }
                });
                modTime = Io(path, () => File.GetLastWriteTimeUtc(file));
                if (_xattr)
                {
                    // Before the fsync, which makes the attribute durable with the bytes.
                    await WriteMetadataAsync(file, path, written, modTime, options, overwrote, cancellationToken).ConfigureAwait(false);
                }

                // On a pool thread: see MoveAsync (inline socket I/O must not wait for the disk).
                await Task.Run(() => Io(path, () => RandomAccess.FlushToDisk(file)), CancellationToken.None).ConfigureAwait(false);
            }

            // A temporary upload is renamed next, and the rename syncs the directory; syncing it
            // here as well would only double the cost of every upload.
            if (!TempNames.IsTemp(path.Name))
            {
                SyncDirectory(Path.GetDirectoryName(full)!, path);
                DeleteLegacyRecord(path);
            }

            return Entry.File(path, written, modTime);
        }
        catch
        {
            DeleteLeftover(full);
            if (createdDirectory is not null)
            {
                DeleteCreatedDirectories(full, createdDirectory);
            }

            throw;
        }
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(path);
        RequireFile(path, full);
        Io(path, () => File.Delete(full));
        DeleteLegacyRecord(path);
        return ValueTask.CompletedTask;
    }

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CreateDirectories(dir);
        return ValueTask.CompletedTask;
    }

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(dir);
        RequireDirectory(dir, full);
        try
        {
            Directory.Delete(full, recursive: false);
        }
        catch (IOException e) when (LocalErrors.KindOf(e) == VfsErrorKind.DirNotEmpty)
        {
            throw VfsException.DirNotEmpty(dir);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, dir, isDirectoryOperation: true, out var mapped))
        {
            throw mapped;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IEnumerable<Entry> List(VfsPath dir, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(dir);
        RequireDirectory(dir, full);
        IEnumerator<Entry?> entries;
        try
        {
            entries = new FileSystemEnumerable<Entry?>(full, (ref FileSystemEntry e) => ToEntry(dir, ref e), ListOptions)
            {
                // Symlinks are skipped (rclone's default), and so are names a VfsPath cannot carry.
                ShouldIncludePredicate = (ref FileSystemEntry e) =>
                    (e.Attributes & FileAttributes.ReparsePoint) == 0 && !e.FileName.Contains('\\'),
            }.GetEnumerator();
        }
        catch (Exception e) when (LocalErrors.TryMap(e, dir, isDirectoryOperation: true, out var mapped))
        {
            throw mapped;
        }

        using (entries)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool more;
                try
                {
                    more = entries.MoveNext();
                }
                catch (Exception e) when (LocalErrors.TryMap(e, dir, isDirectoryOperation: true, out var mapped))
                {
                    throw mapped;
                }

                if (!more)
                {
                    break;
                }

                if (entries.Current is { } entry)
                {
                    yield return entry;
                }
            }
        }
    }

    private static Entry? ToEntry(VfsPath dir, ref FileSystemEntry e)
    {
        try
        {
            var path = dir.Join(e.FileName.ToString());
            return e.IsDirectory ? Entry.Directory(path, e.LastWriteTimeUtc) : Entry.File(path, e.Length, e.LastWriteTimeUtc);
        }
        catch (FileNotFoundException)
        {
            // Deleted between readdir and stat (a concurrent prune): it is simply no longer there.
            return null;
        }
    }
}
