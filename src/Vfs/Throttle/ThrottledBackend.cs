namespace VfsGateway.Vfs.Throttle;

/// <summary>
/// --bwlimit: the backend as the Vfs sees it when a limit is set. Bytes read from the backend pass
/// the download bucket, bytes a put hands to it pass the upload bucket; one bucket per direction
/// for all transfers. Everything else, server-side copy and move included (they move no bytes
/// through the gateway), goes to the backend unchanged; reads served from the VFS cache never get
/// here, so they are not limited.
/// </summary>
internal sealed class ThrottledBackend(IBackend inner, TokenBucket? upload, TokenBucket? download) : IBackend
{
    public BackendFeatures Features => inner.Features;

    public TokenBucket? Upload => upload;

    public TokenBucket? Download => download;

    /// <summary>Wraps <paramref name="backend"/> when <paramref name="limit"/> limits anything.</summary>
    public static IBackend Wrap(IBackend backend, BandwidthLimit limit, TimeProvider time) =>
        limit.IsOff
            ? backend
            : new ThrottledBackend(
                backend,
                limit.UploadBytesPerSecond is { } up ? new TokenBucket(up, time) : null,
                limit.DownloadBytesPerSecond is { } down ? new TokenBucket(down, time) : null);

    public IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken) => inner.ListAsync(dir, cancellationToken);

    public ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken) => inner.StatAsync(path, cancellationToken);

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var stream = await inner.OpenReadAsync(path, range, cancellationToken).ConfigureAwait(false);
        return download is null ? stream : new ThrottledReadStream(stream, download, leaveOpen: false);
    }

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        if (upload is null)
        {
            return await inner.PutAsync(path, content, options, cancellationToken).ConfigureAwait(false);
        }

        // The caller owns the content stream; the wrapper must not close it.
        var throttled = new ThrottledReadStream(content, upload, leaveOpen: true);
        await using (throttled.ConfigureAwait(false))
        {
            return await inner.PutAsync(path, throttled, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.MkdirAsync(dir, cancellationToken);

    public ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken) => inner.RmdirAsync(dir, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
