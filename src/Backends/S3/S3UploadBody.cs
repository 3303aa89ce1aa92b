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
internal sealed class S3UploadBody(Stream source, long length, Func<CancellationToken, ValueTask> beforeLastBytes) : ReadOnlyStream
{
    private long _position;

    /// <summary>What the source (or the last check) threw, if anything.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

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
