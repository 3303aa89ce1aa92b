namespace VfsGateway.Vfs;

/// <summary>
/// The boilerplate of the backends' (and the Vfs's own) read streams, written once: never writable,
/// Flush a no-op, the array ReadAsync routed to the Memory overload. Subclasses implement
/// ReadAsync(Memory) and, when they can, a synchronous Read, seeking, Length and Position (by default:
/// not seekable, no length, and Read blocks on the asynchronous path). The frontends' verified request
/// bodies (VerifiedBodyStream) use it too.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Request bodies (Kestrel) are async-only: a synchronous caller blocks on the async path instead of failing.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void Flush()
    {
    }

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
