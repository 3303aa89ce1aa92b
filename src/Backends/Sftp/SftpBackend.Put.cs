using System.Buffers;
using VfsGateway.Backends.Sftp.Protocol;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Sftp;

/// <summary>Uploads: WRITE requests pipelined up to the concurrency, then one round trip to finish.</summary>
internal sealed partial class SftpBackend
{
    private const SftpOpenFlags WriteFlags = SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Truncate;

    /// <summary>Opens <paramref name="path"/> for writing, creating missing parents on the way.</summary>
    private async ValueTask<SftpHandle> OpenForWriteAsync(SftpSession session, VfsPath path, CancellationToken cancellationToken)
    {
        var remote = Remote(path);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await session.OpenAsync(remote, WriteFlags, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException e) when (e.Code == SftpStatusCode.NoSuchFile && attempt == 0)
            {
                // A missing parent, or a file in the way (ENOTDIR), which mkdir -p then names.
                await MkdirAllAsync(session, Remote(path.Parent), path.Parent, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpStatusException e) when (e.Code == SftpStatusCode.Failure)
            {
                // open(2) of a directory for writing is EISDIR, a bare FAILURE.
                throw await ClassifyAsync(session, e, path, remote, cancellationToken).ConfigureAwait(false) is { IsDirectory: true }
                    ? VfsException.IsDirectory(path)
                    : SftpErrors.Map(e, path);
            }
            catch (SftpStatusException e)
            {
                throw SftpErrors.Map(e, path);
            }
        }
    }

    private async ValueTask<Entry> UploadAsync(
        SftpSession session, SftpHandle handle, VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        var chunk = WriteChunk(session);
        var window = new Queue<SftpRequest>(Math.Min(Options.Concurrency, 64));
        var buffer = ArrayPool<byte>.Shared.Rent(chunk);
        var finishing = false;
        try
        {
            long offset = 0;
            while (true)
            {
                var want = chunk;
                if (options.Length is { } length)
                {
                    if (length - offset <= 0)
                    {
                        break;
                    }

                    want = (int)Math.Min(chunk, length - offset);
                }

                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    if (window.Count >= Options.Concurrency)
                    {
                        await session.CompleteStatusAsync(window.Dequeue()).ConfigureAwait(false);
                    }

                    // The data is copied into the outbox before this returns, so the buffer is free again.
                    window.Enqueue(await session.SendWriteAsync(handle, offset, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false));
                    offset += read;
                }

                if (read < want)
                {
                    break;
                }
            }

            if (options.Length is { } expected && offset < expected)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {offset} of {expected} bytes", path.Value);
            }

            finishing = true;
            return await FinishAsync(session, handle, path, options.ModTime, window, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            if (!finishing)
            {
                await CloseQuietlyAsync(session, handle, path.Value).ConfigureAwait(false);
            }

            throw SftpErrors.Map(e, path);
        }
        catch
        {
            // The content stream's own exception (or a cancellation) propagates unchanged.
            if (!finishing)
            {
                await CloseQuietlyAsync(session, handle, path.Value).ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Sets the modtime, fsyncs (fsync@openssh.com), stats and closes the written file: the four
    /// requests follow the last WRITEs without waiting for their acknowledgements, since the server
    /// handles one handle's requests in order. The handle is closed whatever the outcome.
    /// </summary>
    private static async ValueTask<Entry> FinishAsync(
        SftpSession session, SftpHandle handle, VfsPath path, DateTimeOffset? modTime, Queue<SftpRequest>? writes, CancellationToken cancellationToken)
    {
        var setTime = modTime is { } time
            ? await session.SendFSetStatAsync(handle, SftpAttributes.ForModTime(time), cancellationToken).ConfigureAwait(false)
            : null;
        var fsync = session.HasExtension(SftpExtensionNames.Fsync)
            ? await session.SendFsyncAsync(handle, cancellationToken).ConfigureAwait(false)
            : null;
        var stat = await session.SendFStatAsync(handle, cancellationToken).ConfigureAwait(false);
        var close = await session.SendCloseAsync(handle, cancellationToken).ConfigureAwait(false);

        // Await every reply (so each request is recycled) before reporting the first failure.
        SftpStatusException? failure = null;
        SftpAttributes attributes = default;
        while (writes is not null && writes.TryDequeue(out var write))
        {
            try
            {
                await session.CompleteStatusAsync(write).ConfigureAwait(false);
            }
            catch (SftpStatusException e)
            {
                failure ??= e;
            }
        }

        foreach (var request in new[] { setTime, fsync })
        {
            if (request is not null)
            {
                try
                {
                    await session.CompleteStatusAsync(request).ConfigureAwait(false);
                }
                catch (SftpStatusException e)
                {
                    failure ??= e;
                }
            }
        }

        try
        {
            attributes = await session.CompleteAttributesAsync(stat).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            failure ??= e;
        }

        try
        {
            await session.CompleteStatusAsync(close).ConfigureAwait(false);
        }
        catch (SftpStatusException e)
        {
            failure ??= e;
        }

        return failure is null ? Entry.File(path, attributes.Length, attributes.ModTime) : throw SftpErrors.Map(failure, path);
    }
}
