using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Passes writes to the file and translates the file's errors (ENOSPC, EDQUOT, ...) at the write
/// itself, so that an exception thrown by the content stream in the same copy loop is never
/// mistaken for a disk error and propagates unchanged. Does not own the file.
/// </summary>
internal sealed class LocalWriteStream(FileStream file, VfsPath path) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            file.Write(buffer);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (LocalErrors.TryMap(e, path, isDirectoryOperation: false, out var mapped))
        {
            throw mapped;
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
