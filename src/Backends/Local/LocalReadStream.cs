using VfsGateway.Vfs;
using Microsoft.Win32.SafeHandles;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Reads <c>length</c> bytes of a file from <c>start</c> with positional reads (pread) on a
/// synchronous handle; owns the handle. Seekable within that window.
/// </summary>
/// <remarks>
/// ReadAsync completes inline: an asynchronous FileStream on Unix only queues each read to the
/// thread pool and makes the same blocking call there, which costs a thread switch per block and
/// gains nothing (restic reads objects it wrote moments ago, straight from the page cache).
/// </remarks>
internal sealed class LocalReadStream(SafeFileHandle file, long start, long length) : ReadOnlyStream
{
    private long _position;

    public override bool CanRead => !file.IsClosed;

    public override bool CanSeek => !file.IsClosed;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = length - _position;
        if (left <= 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var n = RandomAccess.Read(file, buffer[..(int)Math.Min(buffer.Length, left)], start + _position);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
