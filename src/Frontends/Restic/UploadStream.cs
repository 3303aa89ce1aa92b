using System.Security.Cryptography;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// The request body as the Vfs reads it during an upload, checked in the same pass: it hashes
/// (SHA-256), counts, reserves quota, and fails the read — so that the Vfs discards the
/// temporary object — when the content does not match its name, when the body ends before
/// Content-Length, when the client's connection breaks, or when the quota runs out. The check
/// happens on the last byte, not at end of stream: a backend that reads exactly
/// <see cref="PutOptions.Length"/> bytes never asks for the end.
/// </summary>
internal sealed class UploadStream : Stream
{
    private readonly Stream _body;
    private readonly long? _length;
    private readonly IncrementalHash? _hash;
    private readonly byte[]? _expectedDigest;
    private readonly ResticQuota.Upload? _quota;
    private readonly byte[] _digest = new byte[SHA256.HashSizeInBytes];
    private bool _finished;

    /// <param name="body">The request body.</param>
    /// <param name="length">Content-Length, when the client sent one.</param>
    /// <param name="hash">A SHA-256 to feed, or null when nothing needs the digest.</param>
    /// <param name="expectedDigest">The digest the content must have (the object's name), or null to only compute it.</param>
    /// <param name="quota">The upload's quota reservation to reserve the bytes in, or null.</param>
    public UploadStream(Stream body, long? length, IncrementalHash? hash, byte[]? expectedDigest, ResticQuota.Upload? quota)
    {
        _body = body;
        _length = length;
        _hash = hash;
        _expectedDigest = expectedDigest;
        _quota = quota;
    }

    /// <summary>Bytes read from the client so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The quota the upload ran into (then the read failed with InsufficientStorage), or null.</summary>
    public QuotaLimit? Exceeded { get; private set; }

    /// <summary>The SHA-256 of the whole content, once it was read to the end (with a hash given).</summary>
    public ReadOnlySpan<byte> Digest => _finished && _hash is not null ? _digest : throw new InvalidOperationException("the content has not been read to the end");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var allowed = Allowed(buffer.Length);
        if (allowed == 0)
        {
            return 0;
        }

        // Fill the whole buffer: Kestrel hands out whatever arrived so far (often a few KiB), and
        // every block read here costs the backend a write call.
        var read = 0;
        try
        {
            while (read < allowed)
            {
                var n = await _body.ReadAsync(buffer[read..allowed], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (IOException e)
        {
            // Kestrel's BadHttpRequestException and a reset connection are both IOExceptions:
            // the client's fault (400), and nothing of the upload may stay.
            throw BodyFailed(e);
        }

        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var allowed = Allowed(buffer.Length);
        if (allowed == 0)
        {
            return 0;
        }

        int read;
        try
        {
            read = _body.Read(buffer[..allowed]);
        }
        catch (IOException e)
        {
            throw BodyFailed(e);
        }

        return Account(buffer[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static VfsException BodyFailed(IOException e) =>
        new(VfsErrorKind.Invalid, $"reading the request body failed: {e.Message}", innerException: e);

    /// <summary>How much of <paramref name="requested"/> Content-Length still allows; 0 (after the final check) when nothing is left.</summary>
    private int Allowed(int requested)
    {
        if (_finished || requested == 0)
        {
            return 0;
        }

        if (_length is { } length)
        {
            var left = length - BytesRead;
            if (left <= 0)
            {
                Finish();
                return 0;
            }

            return (int)Math.Min(requested, left);
        }

        return requested;
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            if (_length is { } length && BytesRead < length)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"the request body ended after {BytesRead} of {length} bytes");
            }

            Finish();
            return 0;
        }

        if (_quota is not null)
        {
            if (_quota.TryReserve(data.Length) is { } limit)
            {
                Exceeded = limit;
                throw new VfsException(VfsErrorKind.InsufficientStorage, $"the upload exceeds {limit}");
            }
        }

        _hash?.AppendData(data);
        BytesRead += data.Length;
        if (_length is { } l && BytesRead == l)
        {
            Finish();
        }

        return data.Length;
    }

    private void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_hash is null)
        {
            return;
        }

        _hash.GetHashAndReset(_digest);
        if (_expectedDigest is not null && !CryptographicOperations.FixedTimeEquals(_digest, _expectedDigest))
        {
            throw new VfsException(VfsErrorKind.Invalid, "the content does not match its name (SHA-256)");
        }
    }
}
