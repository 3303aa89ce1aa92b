using System.Runtime.ExceptionServices;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>
/// The caller's stream of known length handed to the SDK as a request body as it is read (no
/// spool): exactly <c>length</c> bytes, fewer is an <see cref="VfsErrorKind.Invalid"/> error. The
/// read that completes the content runs <c>beforeLastBytes</c> (the frontend's last checks) before
/// it returns, so when the source or that check fails, the final bytes never reach the server: the
/// request breaks off short of its Content-Length and the server stores nothing. The failure is
/// kept in <see cref="Failure"/> so that the put rethrows it unchanged instead of the SDK's
/// wrapping of it.
/// </summary>
/// <remarks>
/// The SDK's UploadPart insists on a seekable stream (it wraps the body to bound it to the part)
/// although it never moves in one it signs chunk by chunk; with <c>inPlaceSeekable</c> this stream
/// says it can seek, reports its length and position, and accepts only a "seek" to where it is. A
/// rewind (the SDK retrying after part of the body went out) fails as a transient error: the
/// client retries the part. PutObject takes the stream as not seekable, and the SDK does not retry it.
/// </remarks>
internal sealed class S3UploadBody(Stream source, long length, Func<CancellationToken, ValueTask> beforeLastBytes, bool inPlaceSeekable = false) : ReadOnlyStream
{
    private long _position;

    /// <summary>What the source (or the last check) threw, if anything.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    public override bool CanSeek => inPlaceSeekable;

    public override long Length => inPlaceSeekable ? length : base.Length;

    public override long Position
    {
        get => inPlaceSeekable ? _position : base.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!inPlaceSeekable)
        {
            return base.Seek(offset, origin);
        }

        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return target == _position
            ? _position
            : throw new VfsException(VfsErrorKind.Transient, "the storage server broke off a request whose body was streamed and cannot be sent again; retry the upload");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = length - _position;
        if (left == 0 || buffer.Length == 0)
        {
            return 0;
        }

        try
        {
            var read = await source.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"content ended after {_position} of {length} bytes");
            }

            _position += read;
            if (_position == length)
            {
                await beforeLastBytes(cancellationToken).ConfigureAwait(false);
            }

            return read;
        }
        catch (Exception e)
        {
            Failure ??= ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
