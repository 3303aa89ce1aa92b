using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VfsGateway.Vfs;

/// <summary>
/// The Vfs layer: the only thing frontends talk to. (Named VirtualFileSystem rather than Vfs so
/// it does not collide with the VfsGateway.Vfs namespace in name lookup.) In cache mode
/// <see cref="VfsCacheMode.Off"/> reads stream from the backend and writes stream to it; on
/// backends with <see cref="BackendFeatures.PartialUploads"/> a write goes to a temporary name
/// that is renamed over the target only after the whole content arrived, so no partial object is
/// ever visible. Transient backend errors of idempotent operations are retried here, in one place.
/// </summary>
public sealed partial class VirtualFileSystem : IAsyncDisposable
{
    private const int MaxAttempts = 3;
    private readonly IBackend _backend;
    private readonly ILogger _logger;

    public VirtualFileSystem(IBackend backend, VfsOptions? options = null, ILogger<VirtualFileSystem>? logger = null)
    {
        _backend = backend;
        Options = options ?? VfsOptions.Default;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (Options.CacheMode != VfsCacheMode.Off)
        {
            throw new VfsException(VfsErrorKind.NotSupported, $"--vfs-cache-mode {Options.CacheMode.ToString().ToLowerInvariant()} is not implemented yet");
        }
    }

    public VfsOptions Options { get; }

    public BackendFeatures Features => _backend.Features;

    /// <summary>Lists the direct children of <paramref name="dir"/>; in-flight temporary files are never listed.</summary>
    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in _backend.ListAsync(dir, cancellationToken).ConfigureAwait(false))
        {
            if (!TempNames.IsTemp(entry.Name))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Lists everything below <paramref name="dir"/>: natively where the backend can, else by walking directories.</summary>
    public async IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Features.ListRecursive is { } native)
        {
            await foreach (var entry in native.ListRecursiveAsync(dir, cancellationToken).ConfigureAwait(false))
            {
                if (!TempNames.IsTemp(entry.Name))
                {
                    yield return entry;
                }
            }

            yield break;
        }

        var pending = new Stack<VfsPath>();
        pending.Push(dir);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            await foreach (var entry in ListAsync(current, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
                if (entry.IsDirectory)
                {
                    pending.Push(entry.Path);
                }
            }
        }
    }

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) =>
        RetryAsync(ct => _backend.StatAsync(path, ct), "stat", path, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) =>
        RetryAsync(ct => _backend.OpenReadAsync(path, range, ct), "open", path, cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>. If the content stream throws
    /// (a digest mismatch, a quota overrun, a client that went away), nothing is left behind and the
    /// previous object, if any, is untouched. Success means the object is durable in the backend.
    /// </summary>
    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        if (TempNames.IsTemp(path.Name))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{path.Name}' is reserved for in-flight uploads", path.Value);
        }

        if (!Features.PartialUploads || Features.Move is not { } move)
        {
            return await _backend.PutAsync(path, content, options, cancellationToken).ConfigureAwait(false);
        }

        var temp = TempNames.For(path);
        try
        {
            await _backend.PutAsync(temp, content, options, cancellationToken).ConfigureAwait(false);
            return await move.MoveAsync(temp, path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DeleteQuietlyAsync(temp).ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) =>
        RetryAsync(async ct => { await _backend.DeleteAsync(path, ct).ConfigureAwait(false); return true; }, "delete", path, cancellationToken).AsTask().AsValueTaskVoid();

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) =>
        RetryAsync(async ct => { await _backend.MkdirAsync(dir, ct).ConfigureAwait(false); return true; }, "mkdir", dir, cancellationToken).AsTask().AsValueTaskVoid();

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) =>
        RetryAsync(async ct => { await _backend.RmdirAsync(dir, ct).ConfigureAwait(false); return true; }, "rmdir", dir, cancellationToken).AsTask().AsValueTaskVoid();

    /// <summary>Copies a file: server-side where the backend can, else by streaming it through.</summary>
    public async ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        if (Features.Copy is { } copy)
        {
            return await copy.CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
        }

        var source = await StatAsync(from, cancellationToken).ConfigureAwait(false);
        if (source.IsDirectory)
        {
            throw VfsException.IsDirectory(from);
        }

        var stream = await OpenReadAsync(from, null, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await PutAsync(to, stream, new PutOptions(source.Size, source.ModTime, source.ContentType), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves a file: server-side where the backend can, else copy then delete.</summary>
    public async ValueTask<Entry> MoveAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        if (Features.Move is { } move)
        {
            return await move.MoveAsync(from, to, cancellationToken).ConfigureAwait(false);
        }

        var entry = await CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(from, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Space figures, or null when the backend cannot tell.</summary>
    public async ValueTask<AboutInfo?> AboutAsync(CancellationToken cancellationToken) =>
        Features.About is { } about ? await about.AboutAsync(cancellationToken).ConfigureAwait(false) : null;

    public ValueTask DisposeAsync() => _backend.DisposeAsync();

    private async ValueTask<T> RetryAsync<T>(Func<CancellationToken, ValueTask<T>> operation, string what, VfsPath path, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (VfsException e) when (e.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(_logger, what, path.Value, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask DeleteQuietlyAsync(VfsPath temp)
    {
        try
        {
            // Not the request's token: the client may be gone, the cleanup must still happen.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _backend.DeleteAsync(temp, cts.Token).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
        }
        catch (Exception e)
        {
            LogCleanupFailed(_logger, temp.Value, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} {Path} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogRetry(ILogger logger, string operation, string path, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove temporary upload {Path}: {Error}")]
    private static partial void LogCleanupFailed(ILogger logger, string path, string error);
}
