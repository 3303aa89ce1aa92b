using Microsoft.Win32.SafeHandles;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Appends to a file with plain synchronous writes and translates the file's errors (ENOSPC,
/// EDQUOT, ...) at the write itself, so that an exception thrown by the content stream in the
/// same copy loop is never mistaken for a disk error and propagates unchanged. Does not own the
/// file.
/// </summary>
/// <remarks>
/// A write only copies into the page cache, so it is done inline even from WriteAsync: an
/// asynchronous FileStream on Unix would queue every 128 KiB block to the thread pool just to make
/// the same call there. Every <see cref="WritebackChunk"/> bytes the kernel is asked to start
/// writing the block back (sync_file_range, Linux), so the disk works while the rest of the body
/// still arrives and the final fsync only waits for the tail instead of the whole file.
/// </remarks>
internal sealed class LocalWriteStream(SafeFileHandle file, VfsPath path) : Stream
{
    /// <summary>How much is written between two writeback kicks.</summary>
    internal const int WritebackChunk = 4 * 1024 * 1024;

    private long _position;
    private long _writebackFrom;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            RandomAccess.Write(file, buffer, _position);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }

        _position += buffer.Length;
        if (_position - _writebackFrom >= WritebackChunk)
        {
            FileSync.StartWriteback(file, _writebackFrom, _position - _writebackFrom);
            _writebackFrom = _position;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
