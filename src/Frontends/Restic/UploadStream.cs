using System.Security.Cryptography;
using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// The body of a restic upload, checked while the Vfs reads it: it hashes (SHA-256), reserves quota,
/// and fails the read — so that the Vfs discards the temporary object — when the content does not
/// match its name, when the body ends before Content-Length, when the client's connection breaks,
/// or when the quota runs out.
/// </summary>
/// <param name="body">The request body.</param>
/// <param name="length">Content-Length, when the client sent one.</param>
/// <param name="hash">A SHA-256 to feed, or null when nothing needs the digest.</param>
/// <param name="expectedDigest">The digest the content must have (the object's name), or null to only compute it.</param>
/// <param name="quota">The upload's quota reservation to reserve the bytes in, or null.</param>
internal sealed class UploadStream(Stream body, long? length, IncrementalHash? hash, byte[]? expectedDigest, ResticQuota.Upload? quota)
    : VerifiedBodyStream(body, length)
{
    private readonly byte[] _digest = new byte[SHA256.HashSizeInBytes];
    private bool _finished;

    /// <summary>The quota the upload ran into (then the read failed with InsufficientStorage), or null.</summary>
    public QuotaLimit? Exceeded { get; private set; }

    /// <summary>The SHA-256 of the whole content, once it was read to the end (with a hash given).</summary>
    public ReadOnlySpan<byte> Digest => _finished && hash is not null ? _digest : throw new InvalidOperationException("the content has not been read to the end");

    protected override void Append(ReadOnlySpan<byte> data)
    {
        if (quota?.TryReserve(data.Length) is { } limit)
        {
            Exceeded = limit;
            throw new VfsException(VfsErrorKind.InsufficientStorage, $"the upload exceeds {limit}");
        }

        hash?.AppendData(data);
    }

    protected override void Verify()
    {
        _finished = true;
        if (hash is null)
        {
            return;
        }

        hash.GetHashAndReset(_digest);
        if (expectedDigest is not null && !CryptographicOperations.FixedTimeEquals(_digest, expectedDigest))
        {
            throw new VfsException(VfsErrorKind.Invalid, "the content does not match its name (SHA-256)");
        }
    }

    protected override Exception TooShort(long read, long declared) =>
        new VfsException(VfsErrorKind.Invalid, $"the request body ended after {read} of {declared} bytes");

    protected override Exception TooLong(long declared) =>
        new VfsException(VfsErrorKind.Invalid, $"the request body is longer than its Content-Length ({declared} bytes)");

    // Kestrel's BadHttpRequestException and a reset connection are both IOExceptions: the
    // client's fault (400), and nothing of the upload may stay.
    protected override Exception ReadFailed(IOException e) =>
        new VfsException(VfsErrorKind.Invalid, $"reading the request body failed: {e.Message}", innerException: e);
}
