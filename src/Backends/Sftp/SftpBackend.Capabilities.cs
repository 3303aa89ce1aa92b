using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>Server-side move (posix-rename), copy (copy-data) and free space (statvfs).</summary>
internal sealed partial class SftpBackend
{
    private volatile bool _directoryFsyncUnsupported;

    /// <summary>
    /// posix-rename@openssh.com replaces the target atomically; the parent directory is then
    /// fsynced (an O_RDONLY handle on a directory accepts fsync@openssh.com) so the rename survives
    /// a crash. Without posix-rename, v3 RENAME refuses an existing target and the fallback
    /// removes it first, which is not atomic.
    /// </summary>
    public async ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        if (!session.HasExtension(SftpExtensionNames.PosixRename))
        {
            return await MoveSlowAsync(session, from, to, cancellationToken).ConfigureAwait(false);
        }

        // The usual case in two round trips: the rename, the stat of its result and the parent's
        // handle (for the directory fsync) travel together; the server runs them in order.
        var source = Remote(from);
        var target = Remote(to);
        var parent = Remote(to.Parent);
        var rename = await session.SendPosixRenameAsync(source, target, cancellationToken).ConfigureAwait(false);
        var stat = await session.SendStatAsync(target, cancellationToken).ConfigureAwait(false);
        var open = _directoryFsyncUnsupported || !session.HasExtension(SftpExtensionNames.Fsync)
            ? null
            : await session.SendOpenAsync(parent, SftpOpenFlags.Read, cancellationToken).ConfigureAwait(false);

        SftpStatusException? renameError = null, statError = null, openError = null;
        SftpAttributes attributes = default;
        SftpHandle? directory = null;
        try
        {
            await session.CompleteStatusAsync(rename).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            renameError = e;
        }

        try
        {
            attributes = await session.CompleteAttributesAsync(stat).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            statError = e;
        }

        if (open is not null)
        {
            try
            {
                directory = await session.CompleteHandleAsync(open).ConfigureAwait(false);
            }
            catch (SftpStatusException e)
            {
                openError = e;
            }
        }

        if (renameError is not null)
        {
            // Missing source or parent, a directory in the way: the careful path names it.
            if (directory is not null)
            {
                await CloseQuietlyAsync(session, directory, parent).ConfigureAwait(false);
            }

            return await MoveSlowAsync(session, from, to, cancellationToken).ConfigureAwait(false);
        }

        if (directory is not null)
        {
            await FsyncDirectoryAsync(session, directory, parent, cancellationToken).ConfigureAwait(false);
        }
        else if (openError is not null)
        {
            _directoryFsyncUnsupported = true;
            SftpLog.DirectoryFsyncUnsupported(_logger, Options.Destination, openError.Message);
        }

        return statError is null ? ToEntry(to, attributes) : throw SftpErrors.Map(statError, to);
    }

    /// <summary>Rename with every error named precisely; also the path for servers without posix-rename.</summary>
    private async ValueTask<Entry> MoveSlowAsync(SftpSession session, VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        var source = Remote(from);
        var target = Remote(to);
        try
        {
            await RenameAsync(session, source, target, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            if (await ClassifyAsync(session, e, from, source, cancellationToken).ConfigureAwait(false) is null)
            {
                throw VfsException.NotFound(from);
            }

            await MkdirAllAsync(session, Remote(to.Parent), to.Parent, cancellationToken).ConfigureAwait(false);
            try
            {
                await RenameAsync(session, source, target, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException again)
            {
                throw SftpErrors.Map(again, to);
            }
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.Failure)
        {
            throw await ClassifyAsync(session, e, to, target, cancellationToken).ConfigureAwait(false) is { IsDirectory: true }
                ? VfsException.IsDirectory(to)
                : SftpErrors.Map(e, to);
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, from);
        }

        await SyncDirectoryAsync(session, Remote(to.Parent), cancellationToken).ConfigureAwait(false);
        try
        {
            return ToEntry(to, await session.StatAsync(target, cancellationToken).ConfigureAwait(false));
        }
        catch (SftpStatusException e)
        {
            throw SftpErrors.Map(e, to);
        }
    }

    /// <summary>copy-data between two handles: the bytes never leave the server. The modtime is kept, as rclone does.</summary>
    public async ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var session = lease.Session;
        var (attributes, source) = await OpenFileAsync(session, from, Remote(from), SftpOpenFlags.Read, cancellationToken).ConfigureAwait(false);
        try
        {
            if (from == to)
            {
                // Opening the target with O_TRUNC would destroy the source.
                return ToEntry(to, attributes);
            }

            var target = await OpenForWriteAsync(session, to, cancellationToken).ConfigureAwait(false);
            try
            {
                await session.CopyDataAsync(source, 0, 0, target, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException e)
            {
                await CloseQuietlyAsync(session, target, to.Value).ConfigureAwait(false);
                throw SftpErrors.Map(e, to);
            }

            return await FinishAsync(session, target, to, attributes.ModTime, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseQuietlyAsync(session, source, from.Value).ConfigureAwait(false);
        }
    }

    public async ValueTask<AboutInfo> AboutAsync(CancellationToken cancellationToken)
    {
        using var lease = await _pool.AcquireAsync(cancellationToken).ConfigureAwait(false);
        SftpStatVfs v;
        var path = _root;
        while (true)
        {
            try
            {
                v = await lease.Session.StatVfsAsync(path, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile && ParentOf(path) is { } parent)
            {
                // The root is created by the first write; until then its nearest ancestor has the same file system.
                path = parent;
            }
            catch (SftpStatusException e)
            {
                throw SftpErrors.Map(e, VfsPath.Root, VfsErrorKind.DirNotFound);
            }
        }

        // statvfs counts f_blocks in units of f_frsize; some servers leave it 0 and mean f_bsize.
        var unit = v.FragmentSize != 0 ? v.FragmentSize : v.BlockSize;
        return new AboutInfo(Bytes(v.Blocks, unit), Bytes(v.Blocks - Math.Min(v.FreeBlocks, v.Blocks), unit), Bytes(v.AvailableBlocks, unit));

        static long Bytes(ulong blocks, ulong unit)
        {
            var bytes = (UInt128)blocks * unit;
            return bytes > long.MaxValue ? long.MaxValue : (long)bytes;
        }
    }

    /// <summary>posix-rename when offered; else v3 RENAME, which refuses an existing target, so that is removed first (not atomic).</summary>
    internal static async ValueTask RenameAsync(SftpSession session, string source, string target, CancellationToken cancellationToken)
    {
        if (session.HasExtension(SftpExtensionNames.PosixRename))
        {
            await session.CompleteStatusAsync(await session.SendPosixRenameAsync(source, target, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        try
        {
            await session.RenameAsync(source, target, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e) when (e.Code == SftpStatusCode.Failure)
        {
            try
            {
                await session.RemoveAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException)
            {
                // The target was not the problem: report the rename's own failure.
                throw e;
            }

            await session.RenameAsync(source, target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: servers that cannot open a directory as a file are remembered and skipped.</summary>
    private async ValueTask SyncDirectoryAsync(SftpSession session, string remoteDir, CancellationToken cancellationToken)
    {
        if (_directoryFsyncUnsupported || !session.HasExtension(SftpExtensionNames.Fsync))
        {
            return;
        }

        SftpHandle handle;
        try
        {
            handle = await session.OpenAsync(remoteDir, SftpOpenFlags.Read, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            _directoryFsyncUnsupported = true;
            SftpLog.DirectoryFsyncUnsupported(_logger, Options.Destination, e.Message);
            return;
        }

        await FsyncDirectoryAsync(session, handle, remoteDir, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>fsync@openssh.com and CLOSE on a directory handle, together.</summary>
    private async ValueTask FsyncDirectoryAsync(SftpSession session, SftpHandle handle, string remoteDir, CancellationToken cancellationToken)
    {
        SftpRequest fsync;
        try
        {
            fsync = await session.SendFsyncAsync(handle, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseQuietlyAsync(session, handle, remoteDir).ConfigureAwait(false);
            throw;
        }

        var close = CloseQuietlyAsync(session, handle, remoteDir);
        try
        {
            await session.CompleteStatusAsync(fsync).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            _directoryFsyncUnsupported = true;
            SftpLog.DirectoryFsyncUnsupported(_logger, Options.Destination, e.Message);
        }
        finally
        {
            await close.ConfigureAwait(false);
        }
    }
}
