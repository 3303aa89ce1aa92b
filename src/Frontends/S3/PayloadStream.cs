using System.Security.Cryptography;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// The request body as handlers see it: decoded, counted and hashed in the same pass (MD5 for the
/// ETag and Content-MD5, SHA-256 for a hex x-amz-content-sha256, one x-amz-checksum-*). All checks
/// run before the last byte is handed out — when the declared length is reached, after making
/// sure nothing follows — so a consumer that stops at the declared length still never stores a
/// body that failed a check: the read throws and Vfs.PutAsync leaves nothing behind.
/// </summary>
internal sealed class PayloadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long? _expectedLength;
    private readonly long _maxLength;
    private readonly IncrementalHash? _md5;
    private readonly byte[]? _expectedMd5;
    private readonly IncrementalHash? _sha256;
    private readonly string? _expectedSha256;
    private readonly Checksum? _checksum;
    private readonly Func<string?> _expectedChecksum;
    private readonly bool _checksumOptional;
    private long _total;

    /// <param name="checksumOptional">The checksum is computed for the caller (a multipart upload's algorithm): a missing expected value is no error.</param>
    public PayloadStream(Stream inner, long? expectedLength, long maxLength, bool computeMd5, byte[]? expectedMd5, string? expectedSha256, ChecksumAlgorithm? checksum, Func<string?> expectedChecksum, bool checksumOptional = false)
    {
        _checksumOptional = checksumOptional;
        _inner = inner;
        _expectedLength = expectedLength;
        _maxLength = maxLength;
        _md5 = computeMd5 || expectedMd5 is not null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        _expectedMd5 = expectedMd5;
        _sha256 = expectedSha256 is not null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _expectedSha256 = expectedSha256;
        _checksum = checksum is { } a ? new Checksum(a) : null;
        _expectedChecksum = expectedChecksum;
    }

    /// <summary>True once the whole body was read and every check held.</summary>
    public bool Completed { get; private set; }

    public long BytesRead => _total;

    /// <summary>The declared payload length (Content-Length or x-amz-decoded-content-length), when known.</summary>
    public long? ExpectedLength => _expectedLength;

    /// <summary>The body's MD5 (when computed), available once <see cref="Completed"/>.</summary>
    public byte[]? Md5 { get; private set; }

    /// <summary>The verified x-amz-checksum-* header name and base64 value, when the client sent one (or it was computed for the caller).</summary>
    public KeyValuePair<string, string>? VerifiedChecksum { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Completed || buffer.Length == 0)
        {
            return 0;
        }

        var want = buffer.Length;
        if (_expectedLength is { } expected)
        {
            want = (int)Math.Min(want, expected - _total);
            if (want == 0)
            {
                await FinishAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }

        var n = await _inner.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            if (_expectedLength is { } declared && _total < declared)
            {
                throw new S3Exception(S3Error.IncompleteBody, $"The body ended after {_total} of {declared} bytes.");
            }

            await FinishAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var span = buffer.Span[..n];
        _md5?.AppendData(span);
        _sha256?.AppendData(span);
        _checksum?.Append(span);
        _total += n;
        if (_total > _maxLength)
        {
            throw new S3Exception(S3Error.EntityTooLarge);
        }

        if (_total == _expectedLength)
        {
            await FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        return n;
    }

    /// <summary>Reads whatever the consumer left unread (normally nothing) so every check runs.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[8192];
        while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        _md5?.Dispose();
        _sha256?.Dispose();
        _checksum?.Dispose();
        base.Dispose(disposing);
    }

    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        // The declared length is reached: one more read must find the end (this also makes an
        // aws-chunked decoder verify its final chunk and trailers before we answer).
        var probe = new byte[1];
        if (await _inner.ReadAsync(probe, cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new S3Exception(S3Error.IncompleteBody, "The body is longer than its declared length.");
        }

        Md5 = _md5?.GetHashAndReset();
        if (_expectedMd5 is not null && !CryptographicOperations.FixedTimeEquals(_expectedMd5, Md5))
        {
            throw new S3Exception(S3Error.BadDigest);
        }

        if (_sha256 is not null && !string.Equals(Convert.ToHexStringLower(_sha256.GetHashAndReset()), _expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3Error.ContentSha256Mismatch);
        }

        if (_checksum is not null)
        {
            var actual = Convert.ToBase64String(_checksum.GetHashAndReset());
            var expected = _expectedChecksum();
            if (expected is null && !_checksumOptional)
            {
                throw new S3Exception(S3Error.InvalidRequest, $"The {_checksum.HeaderName} value was announced but not sent.");
            }

            if (expected is not null && !string.Equals(actual, expected, StringComparison.Ordinal))
            {
                throw new S3Exception(S3Error.BadDigest, $"The {_checksum.Algorithm.ToString().ToUpperInvariant()} you specified did not match the calculated checksum.");
            }

            VerifiedChecksum = new(_checksum.HeaderName, actual);
        }

        Completed = true;
    }
}
