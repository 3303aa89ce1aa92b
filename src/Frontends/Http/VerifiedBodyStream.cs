using System.Buffers;
using System.Runtime.ExceptionServices;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Http;

/// <summary>
/// A request body that is checked while the Vfs reads it (restic's SHA-256 against the object's
/// name, S3's digests and checksums): subclasses account for each chunk and verify at the end; this
/// class owns the declared length. The verification runs once, before the read that delivers the
/// last byte returns, and after one more read made sure nothing follows (which also makes an
/// aws-chunked decoder check its trailers): a backend that reads exactly <see cref="PutOptions.Length"/>
/// bytes and never asks for the end still never stores a body that failed — the read throws, and
/// Vfs.PutAsync leaves nothing behind. Reads fill the caller's buffer: Kestrel hands out whatever
/// arrived (often a few KiB), and every short read costs the backend a write call.
/// </summary>
internal abstract class VerifiedBodyStream(Stream body, long? declaredLength) : ReadOnlyStream
{
    private readonly byte[] _probe = new byte[1];
    private ExceptionDispatchInfo? _failure;
    private bool _finished;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The length the request declared (Content-Length, or S3's decoded length), when known.</summary>
    public long? DeclaredLength => declaredLength;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public sealed override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _failure?.Throw();
        if (_finished || buffer.IsEmpty)
        {
            return 0;
        }

        var want = declaredLength is { } declared ? (int)Math.Min(buffer.Length, declared - BytesRead) : buffer.Length;
        var read = 0;
        while (read < want)
        {
            var n = await ReadBodyAsync(buffer[read..want], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (BytesRead + read < declaredLength)
                {
                    throw TooShort(BytesRead + read, declaredLength.Value);
                }

                break;
            }

            read += n;
        }

        if (read > 0)
        {
            Append(buffer.Span[..read]);
            BytesRead += read;
        }

        // The end: the declared length is reached (look once more that nothing follows), or the body ended.
        if (BytesRead == declaredLength || read == 0)
        {
            await FinishAsync(probe: read == want, cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    /// <summary>Reads whatever the consumer left unread (normally nothing), so that the checks run.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(StreamCopier.DefaultBufferSize);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Accounts for the next chunk before it is handed out (hashes, quota, a size limit); throws to refuse it.</summary>
    protected abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>The final checks, run once when the whole body was read; throws when the body fails one.</summary>
    protected abstract void Verify();

    /// <summary>The error for a body that ended after <paramref name="read"/> of <paramref name="declared"/> bytes.</summary>
    protected abstract Exception TooShort(long read, long declared);

    /// <summary>The error for a body that goes on after its declared length.</summary>
    protected abstract Exception TooLong(long declared);

    /// <summary>The error for a failed read of the body (Kestrel's bad request, a reset connection), or null to let it through.</summary>
    protected abstract Exception? ReadFailed(IOException e);

    private async ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (ReadFailed(e) is { } failure)
        {
            throw failure;
        }
    }

    private async ValueTask FinishAsync(bool probe, CancellationToken cancellationToken)
    {
        _finished = true;
        try
        {
            if (probe && await ReadBodyAsync(_probe, cancellationToken).ConfigureAwait(false) != 0)
            {
                throw TooLong(declaredLength!.Value);
            }

            Verify();
        }
        catch (Exception e)
        {
            // A failed body never looks like a clean end to a consumer that reads on.
            _failure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }
}
