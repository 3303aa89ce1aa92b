using VfsGateway.Frontends.S3.Multipart;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>A CompleteMultipartUpload retried after it succeeded (its first answer was lost) answers the same 200.</summary>
internal sealed partial class MultipartHandlers
{
    private readonly CompletedUploads _completed = new(TimeProvider.System);

    /// <summary>
    /// The upload a Complete names; when it is gone because it was completed recently, answers the
    /// retry with the same result and returns null. Recent means: recorded by this instance, or (another
    /// instance, a restart) the object at the key carries the multipart ETag of exactly these parts and
    /// was written within <see cref="CompletedUploads.Lifetime"/>.
    /// </summary>
    private async Task<MultipartUpload?> RequireUploadForCompleteAsync(S3Request r, List<CompletedPart> requested)
    {
        var ct = r.Context.RequestAborted;
        if (await FindUploadAsync(r).ConfigureAwait(false) is { } upload)
        {
            return upload;
        }

        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var etag = _completed.Find(r.Query("uploadId"), r.ObjectPath) ?? await StoredCompletionAsync(r, requested, ct).ConfigureAwait(false);
        if (etag is null)
        {
            throw new S3Exception(S3Error.NoSuchUpload);
        }

        await WriteCompletionAsync(r, etag, new Dictionary<string, string>()).ConfigureAwait(false);
        return null;
    }

    private void RecordCompleted(S3Request r, string etag) => _completed.Add(r.Query("uploadId")!, r.ObjectPath, etag);

    private async Task<string?> StoredCompletionAsync(S3Request r, List<CompletedPart> requested, CancellationToken ct)
    {
        string expected;
        try
        {
            expected = S3Metadata.Quote($"{MultipartETag(requested.Select(p => new UploadedPart(p.PartNumber, p.ETag.Trim(), 0, default)))}-{requested.Count}");
        }
        catch (FormatException)
        {
            // Part ETags that are not MD5s never made a multipart ETag here.
            return null;
        }

        if (await c.TryStatAsync(r.ObjectPath, ct).ConfigureAwait(false) is not { IsDirectory: false } entry ||
            DateTimeOffset.UtcNow - entry.ModTime > CompletedUploads.Lifetime)
        {
            return null;
        }

        var meta = await c.DescribeAsync(entry, ct).ConfigureAwait(false);
        return meta.ETag == expected ? expected : null;
    }
}
