using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Vfs.Cache;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Throttle;

namespace VfsGateway.Vfs;

/// <summary>
/// The Vfs layer: the only thing frontends talk to. (Named VirtualFileSystem rather than Vfs so
/// it does not collide with the VfsGateway.Vfs namespace in name lookup.) In cache mode
/// <see cref="VfsCacheMode.Off"/> reads stream from the backend and writes stream to it; on
/// backends with <see cref="BackendFeatures.PartialUploads"/> a write goes to a temporary name
/// that is renamed over the target only after the whole content arrived, so no partial object is
/// ever visible. In modes <see cref="VfsCacheMode.Writes"/> and <see cref="VfsCacheMode.Full"/> a
/// write is acknowledged once it is durable in the cache directory and uploaded in the background
/// (see docs/vfs.md). Directory listings are cached for <see cref="VfsOptions.DirCacheTime"/> in
/// every mode. Transient backend errors of idempotent operations are retried here, in one place.
/// </summary>
public sealed partial class VirtualFileSystem : IAsyncDisposable, IVfsStorage
{
    private const int MaxAttempts = 3;
    private static readonly VfsCacheStats NoStats = new();
    private readonly IBackend _backend;
    private readonly ILogger _logger;
    private readonly DirCache _dirCache;
    private readonly VfsCache? _cache;
    private readonly SidecarMetadataStore? _sidecar;
    private readonly IMetadataStorage _metadataStorage;
    private readonly CancellationTokenSource _stopping = new();
    private Multipart.VfsMultipartUploads? _multipart;
    private Task _sweepLoop = Task.CompletedTask;
    private int _disposed;

    /// <summary>
    /// Creates the Vfs. In modes writes and full this opens the cache directory: it takes the lock
    /// file (a second process on the same directory fails with <see cref="VfsErrorKind.AlreadyExists"/>),
    /// discards half-written files and queues every dirty item left by an earlier run for upload.
    /// </summary>
    public VirtualFileSystem(IBackend backend, VfsOptions? options = null, ILogger<VirtualFileSystem>? logger = null)
    {
        Options = options ?? VfsOptions.Default;
        Options.Validate();
        _backend = ThrottledBackend.Wrap(backend, Options.BwLimit, TimeProvider.System);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _dirCache = new DirCache(Options.DirCacheTime, TimeProvider.System);
        if (backend.Features.Metadata is { } native)
        {
            _metadataStorage = native;
        }
        else
        {
            _sidecar = new SidecarMetadataStore(_backend, this, _logger);
            _metadataStorage = _sidecar;
        }

        if (Options.CacheMode != VfsCacheMode.Off)
        {
            _cache = new VfsCache(this, Options, _logger, TimeProvider.System);
        }
    }

    public VfsOptions Options { get; }

    public BackendFeatures Features => _backend.Features;

    /// <summary>
    /// The backend's own multipart uploads (<see cref="Multipart.IMultipartUploads"/>), usable from any
    /// gateway instance; null when the backend has none or the VFS cache is on (its writes are per
    /// instance, so parts are then staged locally and stored through <see cref="PutAsync"/>).
    /// </summary>
    public Multipart.IMultipartUploads? Multipart =>
        _cache is null && _backend.Features.Multipart is { } inner ? _multipart ??= new Multipart.VfsMultipartUploads(this, inner, (_backend as ThrottledBackend)?.Upload) : null;

    /// <summary>Live cache counters for metrics (all zero in mode off).</summary>
    public VfsCacheStats CacheStats => _cache?.Stats ?? NoStats;

    /// <summary>The cache directory in use, or null in mode off.</summary>
    public string? CacheDirectory => _cache?.Directory;

    /// <summary>
    /// Creates the Vfs without blocking the caller's thread on the cache directory scan. With
    /// <see cref="VfsOptions.TempSweepInterval"/> set, temp files that interrupted uploads left are
    /// removed before it returns (so they never count against a quota or show as empty directories)
    /// and then periodically.
    /// </summary>
    public static async ValueTask<VirtualFileSystem> CreateAsync(IBackend backend, VfsOptions? options = null, ILogger<VirtualFileSystem>? logger = null, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var vfs = await Task.Run(() => new VirtualFileSystem(backend, options, logger), cancellationToken).ConfigureAwait(false);
        if (vfs.Options.TempSweepInterval is { } interval && vfs.Features.PartialUploads)
        {
            var sweeper = new TempSweeper(vfs._backend, vfs._logger);
            await sweeper.SweepAsync(started, cancellationToken).ConfigureAwait(false);
            vfs._sweepLoop = vfs.SweepPeriodicallyAsync(sweeper, interval);
        }

        return vfs;
    }

    /// <summary>Completes when every acknowledged write is in the backend (at once in mode off).</summary>
    public Task WaitForUploadsAsync(CancellationToken cancellationToken) =>
        _cache?.WaitForUploadsAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Stops background uploads: running ones get <paramref name="timeout"/> to finish, the rest
    /// stay queued in the cache directory for the next start. The backend stays open.
    /// </summary>
    public ValueTask StopAsync(TimeSpan timeout) => _cache?.StopAsync(timeout) ?? ValueTask.CompletedTask;

    /// <summary>Stops the cache (waiting up to <see cref="VfsOptions.ShutdownTimeout"/> for running uploads) and disposes the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _sweepLoop.ConfigureAwait(false);
            await StopAsync(Options.ShutdownTimeout).ConfigureAwait(false);
        }
        finally
        {
            _stopping.Dispose();
            await _backend.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SweepPeriodicallyAsync(TempSweeper sweeper, TimeSpan interval)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await sweeper.SweepAsync(DateTimeOffset.UtcNow - Options.TempSweepAge, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Test hook: the process "dies" — nothing is flushed or waited for, the lock is released.</summary>
    internal void AbandonForTests()
    {
        _disposed = 1;
        _cache?.Abandon();
    }

    /// <summary>Test hook into the cache (null in mode off).</summary>
    internal VfsCache? Cache => _cache;

    /// <summary>The --bwlimit buckets (null when no limit is set).</summary>
    internal ThrottledBackend? Throttle => _backend as ThrottledBackend;

    public async ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        CheckDirectoryKey(path);
        if (IsReserved(path))
        {
            throw VfsException.NotFound(path);
        }

        // A directory key never goes through the write cache (see PutAsync).
        if (_cache is not null && !path.IsRoot && !path.IsDirectoryKey)
        {
            if (_cache.DirtyEntry(path) is { } dirty)
            {
                return dirty;
            }

            if (_cache.HasDirtyBelow(path))
            {
                return Entry.Directory(path);
            }
        }

        return await StatBackendAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        CheckDirectoryKey(path);
        if (IsReserved(path))
        {
            throw VfsException.NotFound(path);
        }

        if (_cache is not null && !path.IsRoot && !path.IsDirectoryKey &&
            await _cache.TryOpenReadAsync(path, range, ct => StatBackendAsync(path, ct), cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        return await OpenBackendReadAsync(path, range, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Space figures, or null when the backend cannot tell.</summary>
    public async ValueTask<AboutInfo?> AboutAsync(CancellationToken cancellationToken) =>
        Features.About is { } about ? await about.AboutAsync(cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// A directory key ("dir/", <see cref="VfsPath.AsDirectoryKey"/>) names an object only on a
    /// bucket-based backend; a file system keeps "dir" as a folder and cannot store it.
    /// </summary>
    internal void CheckDirectoryKey(VfsPath path)
    {
        if (path.IsDirectoryKey && !Features.BucketBased)
        {
            throw new VfsException(VfsErrorKind.NotSupported, $"'{path}' ends in '/': this storage keeps it as a folder, which cannot be an object of its own", path.Value);
        }
    }

    /// <summary>Stat answered from the dir cache when the parent listing is cached, else by the backend.</summary>
    internal ValueTask<Entry> StatBackendAsync(VfsPath path, CancellationToken cancellationToken)
    {
        if (_dirCache.TryLookup(path, out var cached))
        {
            return cached is not null && !TempNames.IsTemp(path.Name) ? ValueTask.FromResult(cached) : ValueTask.FromException<Entry>(VfsException.NotFound(path));
        }

        return RetryAsync(ct => _backend.StatAsync(path, ct), "stat", path, cancellationToken);
    }

    internal ValueTask<Stream> OpenBackendReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) =>
        RetryAsync(ct => _backend.OpenReadAsync(path, range, ct), "open", path, cancellationToken);

    bool IVfsStorage.HasNativeMetadata => HasNativeMetadata;

    ValueTask<Entry> IVfsStorage.PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken) =>
        PutToBackendAsync(path, content, options, cancellationToken);

    ValueTask<Stream> IVfsStorage.OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken) =>
        OpenBackendReadAsync(path, range, cancellationToken);

    ValueTask IVfsStorage.SetMetadataAsync(Entry stored, ObjectMetadata metadata, CancellationToken cancellationToken) =>
        SetMetadataAsync(stored, metadata, cancellationToken);

    void IVfsStorage.NoteWritten(Entry entry) => NoteWritten(entry);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} {Path} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogRetry(ILogger logger, string operation, string path, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove temporary upload {Path}: {Error}")]
    private static partial void LogCleanupFailed(ILogger logger, string path, string error);
}
