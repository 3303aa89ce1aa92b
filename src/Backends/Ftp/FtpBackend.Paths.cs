using System.Globalization;
using VfsGateway.Backends.Ftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Ftp;

/// <summary>Remote paths, listing, stat, and the follow-up looks that name an error precisely (550 says little).</summary>
internal sealed partial class FtpBackend
{
    /// <summary>The server path of <paramref name="path"/>: the root plus the canonical relative path.</summary>
    internal string Remote(VfsPath path)
    {
        var remote = path.IsRoot ? _root : _root.EndsWith('/') ? _root + path.Value : _root + "/" + path.Value;
        return remote.AsSpan().IndexOfAny('\r', '\n') >= 0
            ? throw new VfsException(VfsErrorKind.Invalid, $"FTP cannot name '{path}': it contains a line break", path.Value)
            : remote;
    }

    private bool UseMlsd(FtpSession session) => session.Has("MLST") && !Options.DisableMlsd;

    private static async Task<T> Guard<T>(Task<T> task, VfsPath path)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            throw FtpErrors.Map(e, path);
        }
    }

    private async Task<List<Entry>> ListOnAsync(FtpSession session, VfsPath dir, CancellationToken cancellationToken)
    {
        var remote = Remote(dir);
        List<FtpListEntry> listed;
        try
        {
            if (UseMlsd(session))
            {
                listed = await session.ListAsync("MLSD " + remote, FtpListParser.ParseMlsd, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // LIST's argument is a glob or option string on many servers: CWD first, then list ".".
                var cwd = await session.CommandAsync("CWD " + remote, cancellationToken).ConfigureAwait(false);
                if (!cwd.IsSuccess)
                {
                    throw new FtpReplyException("CWD", cwd);
                }

                var now = DateTimeOffset.UtcNow;
                listed = await session.ListAsync("LIST -a", line => FtpListParser.ParseList(line, now), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (FtpReplyException e) when (e.Code is 550 or 501 or 450 && !e.AfterTransfer)
        {
            throw await KindOfAsync(session, remote, dir, cancellationToken).ConfigureAwait(false) switch
            {
                null => VfsException.DirNotFound(dir),
                FtpEntryKind.File => VfsException.NotDirectory(dir),
                _ => FtpErrors.Map(e, dir, VfsErrorKind.PermissionDenied),
            };
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            throw FtpErrors.Map(e, dir, VfsErrorKind.DirNotFound);
        }

        var entries = new List<Entry>(listed.Count);
        foreach (var item in listed)
        {
            if (!VfsPath.TryParse(item.Name, out var child, out _) || child.Depth != 1)
            {
                FtpLog.SkippedEntry(_logger, Options.Destination, item.Name, dir.Value, "not a valid path segment");
                continue;
            }

            var path = dir.Combine(child);
            if (item.Kind == FtpEntryKind.Symlink)
            {
                // A link stands for what it points to; a dangling one is not listed.
                if (await StatOnAsync(session, path, cancellationToken).ConfigureAwait(false) is { } target)
                {
                    entries.Add(target);
                }
                else
                {
                    FtpLog.SkippedEntry(_logger, Options.Destination, item.Name, dir.Value, "dangling symlink");
                }

                continue;
            }

            entries.Add(item.Kind == FtpEntryKind.Directory
                ? Entry.Directory(path, item.ModTime)
                : Entry.File(path, item.Size, item.ModTime ?? DateTimeOffset.UnixEpoch));
        }

        return entries;
    }

    /// <summary>The entry at <paramref name="path"/> (MLST, else SIZE + MDTM, else CWD for directories); null when missing.</summary>
    private async Task<Entry?> StatOnAsync(FtpSession session, VfsPath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return Entry.Directory(path);
        }

        var remote = Remote(path);
        try
        {
            if (UseMlsd(session))
            {
                var reply = await session.CommandAsync("MLST " + remote, cancellationToken).ConfigureAwait(false);
                if (reply.Code == 550)
                {
                    return null;
                }

                var facts = reply.IsSuccess ? reply.Lines.Skip(1).FirstOrDefault(l => l.StartsWith(' ')) : null;
                var item = facts is null ? null : FtpListParser.ParseMlsd(facts[1..], acceptCurrentDir: true);
                if (item is null)
                {
                    throw new FtpReplyException("MLST", reply);
                }

                return item.Kind == FtpEntryKind.Directory
                    ? Entry.Directory(path, item.ModTime)
                    : Entry.File(path, item.Size, item.ModTime ?? DateTimeOffset.UnixEpoch);
            }

            var size = await session.CommandAsync("SIZE " + remote, cancellationToken).ConfigureAwait(false);
            if (size.Code == 213 && long.TryParse(size.Message.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                DateTimeOffset? modTime = null;
                if (session.Has("MDTM"))
                {
                    var mdtm = await session.CommandAsync("MDTM " + remote, cancellationToken).ConfigureAwait(false);
                    modTime = mdtm.Code == 213 ? FtpListParser.ParseTimeVal(mdtm.Message.Trim()) : null;
                }

                return Entry.File(path, length, modTime ?? DateTimeOffset.UnixEpoch);
            }

            if (size.IsTransientFailure)
            {
                throw new FtpReplyException("SIZE", size);
            }

            var cwd = await session.CommandAsync("CWD " + remote, cancellationToken).ConfigureAwait(false);
            return cwd.IsSuccess ? Entry.Directory(path) : cwd.IsTransientFailure ? throw new FtpReplyException("CWD", cwd) : null;
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            throw FtpErrors.Map(e, path);
        }
    }

    /// <summary>What is at <paramref name="remote"/>: null when nothing is.</summary>
    private async Task<FtpEntryKind?> KindOfAsync(FtpSession session, string remote, VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            if (UseMlsd(session))
            {
                var reply = await session.CommandAsync("MLST " + remote, cancellationToken).ConfigureAwait(false);
                var facts = reply.IsSuccess ? reply.Lines.Skip(1).FirstOrDefault(l => l.StartsWith(' ')) : null;
                return facts is null ? null : FtpListParser.ParseMlsd(facts[1..], acceptCurrentDir: true)?.Kind;
            }

            if (session.Has("SIZE") && (await session.CommandAsync("SIZE " + remote, cancellationToken).ConfigureAwait(false)).Code == 213)
            {
                return FtpEntryKind.File;
            }

            if ((await session.CommandAsync("CWD " + remote, cancellationToken).ConfigureAwait(false)).IsSuccess)
            {
                return FtpEntryKind.Directory;
            }

            return !session.Has("SIZE") && session.Has("MDTM") && (await session.CommandAsync("MDTM " + remote, cancellationToken).ConfigureAwait(false)).Code == 213
                ? FtpEntryKind.File
                : null;
        }
        catch (Exception e) when (e is FtpReplyException or FtpProtocolException)
        {
            throw FtpErrors.Map(e, path);
        }
    }

    /// <summary>A refused file command (RETR, SIZE, DELE): a directory, a missing file, or a real refusal.</summary>
    private async Task<VfsException> ClassifyFileErrorAsync(FtpSession session, FtpReplyException e, VfsPath path, CancellationToken cancellationToken)
    {
        if (e.Code != 550)
        {
            return FtpErrors.Map(e, path);
        }

        return await KindOfAsync(session, Remote(path), path, cancellationToken).ConfigureAwait(false) switch
        {
            FtpEntryKind.Directory => VfsException.IsDirectory(path),
            null => VfsException.NotFound(path),
            _ => FtpErrors.Map(e, path, VfsErrorKind.PermissionDenied),
        };
    }

    /// <summary>MKD, creating missing parents (walking up only when the first MKD fails).</summary>
    private async Task MkdirAllAsync(FtpSession session, string remote, VfsPath dir, CancellationToken cancellationToken)
    {
        if (remote is "/" or "")
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var reply = await Guard(session.CommandAsync("MKD " + remote, cancellationToken), dir).ConfigureAwait(false);
            if (reply.IsSuccess)
            {
                return;
            }

            if (reply.IsTransientFailure && reply.Code is not 450)
            {
                throw FtpErrors.Map(new FtpReplyException("MKD", reply), dir);
            }

            switch (await KindOfAsync(session, remote, dir, cancellationToken).ConfigureAwait(false))
            {
                case FtpEntryKind.Directory:
                    return;
                case FtpEntryKind.File:
                    throw VfsException.NotDirectory(dir);
            }

            if (attempt > 0 || ParentOf(remote) is not { } parent)
            {
                throw FtpErrors.Map(new FtpReplyException("MKD", reply), dir, VfsErrorKind.PermissionDenied);
            }

            await MkdirAllAsync(session, parent, dir.IsRoot ? dir : dir.Parent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// STOR, creating missing parents when the server refuses for that reason. A transfer that
    /// fails after it started leaves a partial file: it is deleted at once (best effort; the Vfs
    /// writes to hidden temp names anyway). The content stream's own exception propagates unchanged.
    /// </summary>
    private async Task<long> StoreAsync(FtpSession session, VfsPath path, string remote, Stream content, long? length, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await session.StoreAsync("STOR " + remote, content, length, cancellationToken).ConfigureAwait(false);
            }
            catch (FtpReplyException e) when (!e.AfterTransfer && e.Code is 550 or 553 or 451 && attempt == 0)
            {
                if (await KindOfAsync(session, remote, path, cancellationToken).ConfigureAwait(false) == FtpEntryKind.Directory)
                {
                    throw VfsException.IsDirectory(path);
                }

                await MkdirAllAsync(session, ParentOf(remote) ?? "/", path.Parent, cancellationToken).ConfigureAwait(false);
            }
            catch (FtpReplyException e) when (!e.AfterTransfer)
            {
                if (e.Code is 550 or 553 && await KindOfAsync(session, remote, path, cancellationToken).ConfigureAwait(false) == FtpEntryKind.Directory)
                {
                    throw VfsException.IsDirectory(path);
                }

                throw FtpErrors.Map(e, path, VfsErrorKind.PermissionDenied);
            }
            catch (Exception e)
            {
                await DeletePartialAsync(session, remote).ConfigureAwait(false);
                if (e is FtpReplyException or FtpProtocolException or EndOfStreamException)
                {
                    throw FtpErrors.Map(e, path);
                }

                throw;
            }
        }
    }

    private async Task DeletePartialAsync(FtpSession session, string remote)
    {
        if (session.IsBroken)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await session.CommandAsync("DELE " + remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FtpProtocolException or OperationCanceledException)
        {
            FtpLog.CleanupFailed(_logger, Options.Destination, "a partial upload", e.Message);
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
}
