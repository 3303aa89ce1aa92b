using System.Security.Cryptography;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.S3.Checksums;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// The request body as handlers see it: decoded, counted and hashed in the same pass (MD5 for the
/// ETag and Content-MD5, SHA-256 for a hex x-amz-content-sha256, one x-amz-checksum-*), every check
/// run before the last byte is handed out.
/// </summary>
internal sealed class PayloadStream : VerifiedBodyStream
{
    private readonly long _maxLength;
    private readonly IncrementalHash? _md5;
    private readonly byte[]? _expectedMd5;
    private readonly IncrementalHash? _sha256;
    private readonly string? _expectedSha256;
    private readonly Checksum? _checksum;
    private readonly Func<string?> _expectedChecksum;
    private readonly bool _checksumOptional;

    /// <param name="checksumOptional">The checksum is computed for the caller (a multipart upload's algorithm): a missing expected value is no error.</param>
    public PayloadStream(Stream inner, long? expectedLength, long maxLength, bool computeMd5, byte[]? expectedMd5, string? expectedSha256, ChecksumAlgorithm? checksum, Func<string?> expectedChecksum, bool checksumOptional = false)
        : base(inner, expectedLength)
    {
        _checksumOptional = checksumOptional;
        _maxLength = maxLength;
        _md5 = computeMd5 || expectedMd5 is not null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        _expectedMd5 = expectedMd5;
        _sha256 = expectedSha256 is not null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _expectedSha256 = expectedSha256;
        _checksum = checksum is { } a ? new Checksum(a) : null;
        _expectedChecksum = expectedChecksum;
    }

    /// <summary>The body's MD5 (when computed), available once the whole body was read and verified.</summary>
    public byte[]? Md5 { get; private set; }

    /// <summary>The verified x-amz-checksum-* header name and base64 value, when the client sent one (or it was computed for the caller).</summary>
    public KeyValuePair<string, string>? VerifiedChecksum { get; private set; }

    protected override void Append(ReadOnlySpan<byte> data)
    {
        if (BytesRead + data.Length > _maxLength)
        {
            throw new S3Exception(S3Error.EntityTooLarge);
        }

        _md5?.AppendData(data);
        _sha256?.AppendData(data);
        _checksum?.Append(data);
    }

    protected override void Verify()
    {
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
    }

    protected override Exception TooShort(long read, long declared) =>
        new S3Exception(S3Error.IncompleteBody, $"The body ended after {read} of {declared} bytes.");

    protected override Exception TooLong(long declared) =>
        new S3Exception(S3Error.IncompleteBody, "The body is longer than its declared length.");

    // The frontend maps Kestrel's verdicts (bad framing, a short body, a client gone) itself, and a
    // copy's source is a backend stream whose errors are not the client's.
    protected override Exception? ReadFailed(IOException e) => null;

    protected override void Dispose(bool disposing)
    {
        _md5?.Dispose();
        _sha256?.Dispose();
        _checksum?.Dispose();
        base.Dispose(disposing);
    }
}
