using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>Remote paths, directory walking helpers and the follow-up stats that name an error precisely.</summary>
internal sealed partial class SftpBackend
{
    /// <summary>The server path of <paramref name="path"/>: the root plus the canonical relative path.</summary>
    internal string Remote(VfsPath path) =>
        path.IsRoot ? _root : _root.EndsWith('/') ? _root + path.Value : _root + "/" + path.Value;

    private static async ValueTask<string> ResolveRootAsync(SftpSession session, string path, CancellationToken cancellationToken)
    {
        if (path.StartsWith('/'))
        {
            return path;
        }

        // Relative roots hang off the login directory; REALPATH(".") is the portable way to learn it.
        string home;
        try
        {
            home = await session.RealPathAsync(".", cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, VfsPath.Root, VfsErrorKind.DirNotFound);
        }

        return path.Length == 0 ? home : home.TrimEnd('/') + "/" + path;
    }

    private static Entry ToEntry(VfsPath path, in SftpAttributes attributes) =>
        attributes.IsDirectory ? Entry.Directory(path, attributes.ModTime) : Entry.File(path, attributes.Length, attributes.ModTime);

    private int ReadChunk(SftpSession session) => ChunkFor(Options.ChunkSize, session.Limits?.MaxReadLength, session.Limits?.MaxPacketLength);

    private int WriteChunk(SftpSession session) => ChunkFor(Options.ChunkSize, session.Limits?.MaxWriteLength, session.Limits?.MaxPacketLength);

    /// <summary>
    /// The request size: the configured one, or automatically the server's announced limit (like
    /// OpenSSH's sftp client, which sizes its requests from limits@openssh.com) or 32 KiB; never
    /// more than the server accepts (a packet also carries ~300 bytes of header and handle).
    /// </summary>
    internal static int ChunkFor(int? configured, ulong? maxLength, ulong? maxPacket)
    {
        var chunk = configured ?? (maxLength is > 0 and var announced
            ? (int)Math.Min(announced, (ulong)SftpOptions.MaxAutoChunkSize)
            : SftpOptions.DefaultChunkSize);
        if (maxLength is > 0 and var max && max < (ulong)chunk)
        {
            chunk = (int)max;
        }

        if (maxPacket is > 1024 and var packet && packet - 1024 < (ulong)chunk)
        {
            chunk = (int)(packet - 1024);
        }

        return chunk;
    }

    private async ValueTask<Entry?> ToListEntryAsync(SftpSession session, VfsPath dir, string remoteDir, SftpName name, CancellationToken cancellationToken)
    {
        if (name.FileName is "." or ".." || !VfsPath.TryParse(name.FileName, out var child, out _) || child.Depth != 1)
        {
            if (name.FileName is not ("." or ".."))
            {
                SftpLog.SkippedEntry(_logger, Options.Destination, name.FileName, dir.Value, "not a valid path segment");
            }

            return null;
        }

        var path = dir.Combine(child);
        var attributes = name.Attributes;
        if (attributes.IsSymlink)
        {
            // READDIR reports lstat(2) data; a link stands for what it points to.
            try
            {
                attributes = await session.StatAsync(remoteDir.TrimEnd('/') + "/" + name.FileName, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile)
            {
                SftpLog.SkippedEntry(_logger, Options.Destination, name.FileName, dir.Value, "dangling symlink");
                return null;
            }
        }

        return ToEntry(path, attributes);
    }

    private static async ValueTask<SftpHandle> OpenDirectoryAsync(SftpSession session, VfsPath dir, string remote, CancellationToken cancellationToken)
    {
        try
        {
            return await session.OpenDirAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            // opendir(3) of a file is ENOTDIR, which OpenSSH reports as NO_SUCH_FILE.
            throw await ClassifyAsync(session, e, dir, remote, cancellationToken).ConfigureAwait(false) switch
            {
                null => VfsException.DirNotFound(dir),
                { IsDirectory: false } => VfsException.NotDirectory(dir),
                _ => SftpErrors.Map(e, dir, VfsErrorKind.DirNotFound),
            };
        }
    }

    private static async ValueTask<List<SftpName>?> ReadBatchAsync(SftpSession session, SftpRequest request, VfsPath dir)
    {
        try
        {
            return await session.CompleteNamesAsync(request).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, dir, VfsErrorKind.DirNotFound);
        }
    }

    /// <summary>STAT and OPEN in one round trip; a directory or a missing file fails with the right kind.</summary>
    private static async ValueTask<(SftpAttributes Attributes, SftpHandle Handle)> OpenFileAsync(
        SftpSession session, VfsPath path, string remote, SftpOpenFlags flags, CancellationToken cancellationToken)
    {
        var stat = await session.SendStatAsync(remote, cancellationToken).ConfigureAwait(false);
        var open = await session.SendOpenAsync(remote, flags, cancellationToken).ConfigureAwait(false);
        SftpAttributes attributes = default;
        SftpStatusException? statError = null;
        try
        {
            attributes = await session.CompleteAttributesAsync(stat).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            statError = e;
        }

        SftpHandle handle;
        try
        {
            handle = await session.CompleteHandleAsync(open).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(statError ?? e, path);
        }

        if (statError is not null || attributes.IsDirectory)
        {
            await CloseQuietlyAsync(session, handle).ConfigureAwait(false);
            throw statError is null ? VfsException.IsDirectory(path) : SftpErrors.Map(statError, path);
        }

        return (attributes, handle);
    }

    /// <summary>
    /// Stats <paramref name="remote"/> after <paramref name="original"/> failed: null when it does
    /// not exist; any other stat failure rethrows the original error, mapped.
    /// </summary>
    private static async ValueTask<SftpAttributes?> ClassifyAsync(
        SftpSession session, SftpStatusException original, VfsPath path, string remote, CancellationToken cancellationToken)
    {
        try
        {
            return await session.StatAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            return null;
        }
        catch (SftpStatusException)
        {
            throw SftpErrors.Map(original, path);
        }
    }

    private static async ValueTask<bool> HasChildrenAsync(SftpSession session, VfsPath dir, string remote, CancellationToken cancellationToken)
    {
        var handle = await OpenDirectoryAsync(session, dir, remote, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await session.CompleteNamesAsync(await session.SendReadDirAsync(handle, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false) is { } names)
            {
                if (names.Any(n => n.FileName is not ("." or "..")))
                {
                    return true;
                }
            }

            return false;
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, dir, VfsErrorKind.DirNotFound);
        }
        finally
        {
            await CloseQuietlyAsync(session, handle).ConfigureAwait(false);
        }
    }

    /// <summary>mkdir -p on the server, including ancestors of the root; an existing directory is success.</summary>
    private static async ValueTask MkdirAllAsync(SftpSession session, string remote, VfsPath dir, CancellationToken cancellationToken)
    {
        try
        {
            await session.MkdirAsync(remote, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile && ParentOf(remote) is { } parent)
        {
            // A missing parent (or, as ENOTDIR, a file in the way: the parent's mkdir names it).
            await MkdirAllAsync(session, parent, dir.Parent, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            // EEXIST is a bare FAILURE: fine when it is a directory.
            await EnsureDirectoryAsync(session, e, remote, dir, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await session.MkdirAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            // Someone else may have created it in between.
            await EnsureDirectoryAsync(session, e, remote, dir, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask EnsureDirectoryAsync(SftpSession session, SftpStatusException original, string remote, VfsPath dir, CancellationToken cancellationToken)
    {
        var attributes = await ClassifyAsync(session, original, dir, remote, cancellationToken).ConfigureAwait(false);
        if (attributes is null)
        {
            throw SftpErrors.Map(original, dir, VfsErrorKind.DirNotFound);
        }

        if (!attributes.Value.IsDirectory)
        {
            throw VfsException.NotDirectory(dir);
        }
    }

    private static string? ParentOf(string remote)
    {
        var trimmed = remote.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash switch
        {
            < 0 => null,
            0 => trimmed.Length > 1 ? "/" : null,
            _ => trimmed[..slash],
        };
    }

    private static async ValueTask CloseQuietlyAsync(SftpSession session, SftpHandle handle)
    {
        try
        {
            await session.CloseAsync(handle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SftpStatusException or VfsException)
        {
            // Cleanup after the operation's own outcome; a handle dies with its connection anyway.
        }
    }

    private async ValueTask CloseQuietlyAsync(SftpSession session, SftpHandle handle, string what)
    {
        try
        {
            await session.CloseAsync(handle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SftpStatusException or VfsException)
        {
            SftpLog.CleanupFailed(_logger, Options.Destination, what, e.Message);
        }
    }
}
