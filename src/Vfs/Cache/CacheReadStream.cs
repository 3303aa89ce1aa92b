using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Vfs.Cache;

/// <summary>
/// A read of a cached item: positional reads from the item's data file, fetching missing ranges
/// from the backend first (mode full). Holds the item open, so eviction leaves it alone.
/// </summary>
internal sealed class CacheReadStream : ReadOnlyStream
{
    private readonly VfsCache _cache;
    private readonly CacheItem _item;
    private readonly CacheData _data;
    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly long _end;
    private long _position;
    private bool _fetched;
    private int _disposed;

    public CacheReadStream(VfsCache cache, CacheItem item, CacheData data, SafeFileHandle handle, long start, long count)
    {
        _cache = cache;
        _item = item;
        _data = data;
        _handle = handle;
        _start = start;
        _end = start + count;
        _position = start;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override long Length => _end - _start;

    public override long Position
    {
        get => _position - _start;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = Want(buffer.Length);
        if (want <= 0)
        {
            return 0;
        }

        if (!_data.IsComplete)
        {
            _fetched |= _cache.EnsurePresentAsync(_item, _data, _handle, _position, want, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return ReadPresent(buffer[..want]);
    }

    /// <remarks>
    /// Completes inline once the item is complete: the data is then in the file for good (ranges
    /// only grow within a generation) and a positional read of the page cache does not block, so
    /// the cached path costs what the local backend's read costs (no lock, no state machine).
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        var want = Want(buffer.Length);
        if (want <= 0)
        {
            return ValueTask.FromResult(0);
        }

        if (!_data.IsComplete)
        {
            return FetchAndReadAsync(buffer[..want], cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(ReadPresent(buffer.Span[..want]));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    private int Want(int length) => (int)Math.Min(length, _end - _position);

    private async ValueTask<int> FetchAndReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _fetched |= await _cache.EnsurePresentAsync(_item, _data, _handle, _position, buffer.Length, cancellationToken).ConfigureAwait(false);
        return ReadPresent(buffer.Span);
    }

    /// <summary>Reads bytes known to be present (the range map said so, or the item is complete).</summary>
    private int ReadPresent(Span<byte> buffer)
    {
        var read = RandomAccess.Read(_handle, buffer, _position);
        if (read == 0)
        {
            throw new VfsException(VfsErrorKind.Transient, $"cache file of '{_item.Path}' ended early", _item.Path.Value);
        }

        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await _cache.ReleaseAsync(_item, _data, _handle, _fetched).ConfigureAwait(false);
            }
            finally
            {
                _handle.Dispose();
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                _cache.ReleaseAsync(_item, _data, _handle, _fetched).AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                _handle.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
