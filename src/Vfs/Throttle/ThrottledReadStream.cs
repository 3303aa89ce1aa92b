namespace VfsGateway.Vfs.Throttle;

/// <summary>
/// Reads from <c>inner</c> no faster than <c>bucket</c> allows: each read is at most the bucket's
/// chunk size and is paid for before it returns. Used for both directions of --bwlimit: around a
/// backend's read stream (download) and around the content a backend put reads (upload).
/// </summary>
internal sealed class ThrottledReadStream(Stream inner, TokenBucket bucket, bool leaveOpen) : ReadOnlyStream
{
    private int _disposed;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..Math.Min(buffer.Length, bucket.ChunkSize)]);
        bucket.TakeAsync(read, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, bucket.ChunkSize)], cancellationToken).ConfigureAwait(false);
        await bucket.TakeAsync(read, cancellationToken).ConfigureAwait(false);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
