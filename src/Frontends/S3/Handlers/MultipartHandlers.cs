using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>
/// Multipart uploads over <see cref="Multipart.IS3MultipartUploads"/>: the backend's own when it
/// has them (any instance can serve any call), else parts staged on this instance's disk.
/// </summary>
internal sealed partial class MultipartHandlers(S3Context c)
{
    /// <summary>AWS's minimum size of every part but the last.</summary>
    private const long MinPartSize = 5L * 1024 * 1024;

    private const int MaxPartNumber = 10000;

    public async Task CreateMultipartUploadAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        // On a bucket-based backend "dir/" is an object like any other (uploaded in parts as AWS
        // allows); a file system keeps it as the folder, which holds no content.
        if (r.IsDirectoryMarker)
        {
            throw new S3Exception(S3Error.InvalidRequest, "A directory marker cannot be uploaded in parts.");
        }

        var mode = S3Checksums.ModeOfRequest(r);
        var metadata = S3Metadata.OfRequest(r) with { Checksums = S3Checksums.ModeRecord(mode) };
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var upload = await c.Uploads.BeginAsync(r.ObjectPath, metadata, ct).ConfigureAwait(false);
        if (mode is { } m)
        {
            r.Context.Response.Headers[S3Checksums.AlgorithmKey] = S3Checksums.NameOf(m.Algorithm);
            r.Context.Response.Headers[S3Checksums.TypeKey] = m.Type;
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "InitiateMultipartUploadResult").ConfigureAwait(false);
        await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
        await w.ElementAsync("UploadId", upload.UploadId).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    public async Task UploadPartAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var upload = await RequireUploadAsync(r, forPart: true).ConfigureAwait(false);
        var partNumber = PartNumberOf(r);
        var mode = S3Checksums.ModeOf(upload.Metadata);
        var body = S3Body.Open(r, S3Body.MaxObjectSize, computeMd5: false, mode?.Algorithm);
        Func<string?>? partChecksum = mode is null ? null : () => body.VerifiedChecksum?.Value;
        var part = await c.Uploads.PutPartAsync(upload, partNumber, body, body.DeclaredLength, partChecksum, ct).ConfigureAwait(false);
        r.Context.Response.Headers.ETag = part.ETag;
        if (body.VerifiedChecksum is { } checksum)
        {
            r.Context.Response.Headers[checksum.Key] = checksum.Value;
        }
    }

    public async Task UploadPartCopyAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var upload = await RequireUploadAsync(r, forPart: true).ConfigureAwait(false);
        var partNumber = PartNumberOf(r);
        var (sourcePath, source, _) = await c.ResolveCopySourceAsync(r).ConfigureAwait(false);
        ByteRange? range = null;
        var length = source.Size;
        if (r.Header("x-amz-copy-source-range") is { } rangeHeader)
        {
            range = ParseCopyRange(rangeHeader, source.Size);
            length = range.Value.Length!.Value;
        }

        var stream = await c.Vfs.OpenReadAsync(sourcePath, range, ct).ConfigureAwait(false);
        var mode = S3Checksums.ModeOf(upload.Metadata);
        UploadedPart part;
        await using (stream.ConfigureAwait(false))
        {
            // Exactly the range's length, so a source that changed size underneath is noticed; the
            // upload's checksum of the copied bytes is computed on the way.
            var exact = new PayloadStream(stream, length, length, computeMd5: false, null, null, mode?.Algorithm, () => null, checksumOptional: true);
            await using (exact.ConfigureAwait(false))
            {
                Func<string?>? checksum = mode is null ? null : () => exact.VerifiedChecksum?.Value;
                part = await c.Uploads.PutPartAsync(upload, partNumber, exact, length, checksum, ct).ConfigureAwait(false);
            }
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "CopyPartResult").ConfigureAwait(false);
        await w.ElementAsync("LastModified", part.LastModified).ConfigureAwait(false);
        await w.ElementAsync("ETag", part.ETag).ConfigureAwait(false);
        if (mode is { } m && part.Checksum is { } value)
        {
            await w.ElementAsync(S3Checksums.ElementOf(m.Algorithm), value).ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>Complete: parse the part list, check it against the staged parts, store the object (kept alive while slow), answer.</summary>
    public async Task CompleteMultipartUploadAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var condition = S3Context.WriteConditionOf(r);
        var (requested, sentChecksums) = await ReadCompletionAsync(r).ConfigureAwait(false);
        if (await RequireUploadForCompleteAsync(r, requested).ConfigureAwait(false) is not { } upload)
        {
            return;
        }

        var (total, objectETag, named) = await CheckCompletionAsync(upload, requested, ct).ConfigureAwait(false);
        var checksums = S3Checksums.Complete(r, S3Checksums.ModeOf(upload.Metadata), named, sentChecksums);
        var atomic = c.AtomicConditions && c.Uploads.CompleteTakesCondition;
        if (condition is not null && !atomic)
        {
            await c.CheckWriteConditionsAsync(r, condition).ConfigureAwait(false);
        }

        var metadata = upload.Metadata with { ETag = objectETag, Checksums = checksums };
        var complete = c.Uploads.CompleteAsync(upload, requested, total, metadata, atomic ? condition : null, ct).AsTask();
        Entry entry;
        try
        {
            await KeepAliveUntilAsync(r, complete).ConfigureAwait(false);
            entry = await complete.ConfigureAwait(false);
        }
        catch (Exception e) when (r.Context.Response.HasStarted && e is S3Exception or VfsException)
        {
            var error = e is S3Exception s3 ? s3.Error : S3Errors.FromKind(((VfsException)e).Kind);
            await S3Xml.WriteErrorDocumentAsync(r.Context.Response, error, e.Message, r.Resource, r.RequestId, []).ConfigureAwait(false);
            return;
        }

        c.ETags.Set(entry, objectETag, metadata.StorageClass);
        RecordCompleted(r, objectETag);
        await WriteCompletionAsync(r, objectETag, checksums).ConfigureAwait(false);
    }

    /// <summary>
    /// Check step of Complete: every named part is staged with that ETag, all but the last are at
    /// least 5 MiB, the whole fits S3's limit; returns the object's size and multipart ETag.
    /// </summary>
    private async Task<(long Total, string ETag, List<UploadedPart> Named)> CheckCompletionAsync(MultipartUpload upload, List<CompletedPart> requested, CancellationToken ct)
    {
        var staged = new Dictionary<int, UploadedPart>();
        await foreach (var part in c.Uploads.ListPartsAsync(upload, ct).ConfigureAwait(false))
        {
            staged[part.PartNumber] = part;
        }

        var named = new List<UploadedPart>(requested.Count);
        long total = 0;
        for (var i = 0; i < requested.Count; i++)
        {
            var (number, etag) = (requested[i].PartNumber, requested[i].ETag);
            if (!staged.TryGetValue(number, out var part) || !string.Equals(part.ETag.Trim('"'), etag.Trim().Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw new S3Exception(S3Error.InvalidPart) { Details = [new("PartNumber", number.ToString(CultureInfo.InvariantCulture)), new("ETag", etag)] };
            }

            if (i < requested.Count - 1 && part.Size < MinPartSize)
            {
                throw new S3Exception(S3Error.EntityTooSmall) { Details = [new("PartNumber", number.ToString(CultureInfo.InvariantCulture)), new("ProposedSize", part.Size.ToString(CultureInfo.InvariantCulture)), new("MinSizeAllowed", MinPartSize.ToString(CultureInfo.InvariantCulture))] };
            }

            named.Add(part);
            total += part.Size;
        }

        return total > MaxMultipartObjectSize
            ? throw new S3Exception(S3Error.EntityTooLarge)
            : (total, S3Metadata.Quote($"{MultipartETag(named)}-{named.Count}"), named);
    }

    /// <summary>Write step of Complete (into the keep-alive 200 when it has started).</summary>
    private static async Task WriteCompletionAsync(S3Request r, string objectETag, IReadOnlyDictionary<string, string> checksums)
    {
        var w = await S3Xml.StartAsync(r.Context.Response, "CompleteMultipartUploadResult").ConfigureAwait(false);
        await w.ElementAsync("Location", $"/{r.Bucket}/{r.Key}").ConfigureAwait(false);
        await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
        await w.ElementAsync("ETag", objectETag).ConfigureAwait(false);
        await S3Checksums.WriteElementsAsync(w, checksums).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    /// <summary>
    /// Streaming a large object into the storage can outlast client timeouts, so, as AWS does, a
    /// slow Complete commits to 200, sends the XML declaration and then a space every interval; the
    /// result (or an Error document, which SDKs look for in a 200 Complete) follows at the end.
    /// </summary>
    private async Task KeepAliveUntilAsync(S3Request r, Task work)
    {
        var response = r.Context.Response;
        var aborted = r.Context.RequestAborted;
        try
        {
            while (await Task.WhenAny(work, Task.Delay(c.CompleteKeepAliveInterval, aborted)).ConfigureAwait(false) != work && !aborted.IsCancellationRequested)
            {
                if (!response.HasStarted)
                {
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = "application/xml";
                    await response.Body.WriteAsync(S3Xml.Declaration, aborted).ConfigureAwait(false);
                }
                else
                {
                    await response.Body.WriteAsync(" "u8.ToArray(), aborted).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        finally
        {
            // Never return while the put still reads the parts stream the caller is about to dispose.
            await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task AbortMultipartUploadAsync(S3Request r)
    {
        var upload = await RequireUploadAsync(r).ConfigureAwait(false);
        await c.Uploads.AbortAsync(upload, r.Context.RequestAborted).ConfigureAwait(false);
        r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>AWS: 10,000 parts of at most 5 GiB, and 5 TiB in all.</summary>
    private const long MaxMultipartObjectSize = 5L * 1024 * 1024 * 1024 * 1024;

    /// <summary>
    /// The upload the request names; NoSuchUpload (or NoSuchBucket) when there is none for this key.
    /// <paramref name="forPart"/>: for storing a part, which the store refuses itself once the upload is gone.
    /// </summary>
    private async Task<MultipartUpload> RequireUploadAsync(S3Request r, bool forPart = false)
    {
        if (await FindUploadAsync(r, forPart).ConfigureAwait(false) is { } upload)
        {
            return upload;
        }

        await c.RequireBucketAsync(r).ConfigureAwait(false);
        throw new S3Exception(S3Error.NoSuchUpload);
    }

    /// <summary>
    /// The upload the request names, or null. A directory marker (path-based storage) never has one:
    /// its path is the folder's, which must not reach an upload begun for the key without the '/'.
    /// </summary>
    private async ValueTask<MultipartUpload?> FindUploadAsync(S3Request r, bool forPart = false) =>
        r.IsDirectoryMarker ? null
        : forPart ? await c.Uploads.FindForPartAsync(r.ObjectPath, r.Query("uploadId"), r.Context.RequestAborted).ConfigureAwait(false)
        : await c.Uploads.FindAsync(r.ObjectPath, r.Query("uploadId"), r.Context.RequestAborted).ConfigureAwait(false);

    private static int PartNumberOf(S3Request r) =>
        int.TryParse(r.Query("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPartNumber
            ? n
            : throw new S3Exception(S3Error.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");

    private static ByteRange ParseCopyRange(string header, long size)
    {
        // Only "bytes=first-last", both given; a well-formed range outside the source is 416 InvalidRange
        // (as AWS answers), anything else 400 InvalidArgument.
        if (header.StartsWith("bytes=", StringComparison.Ordinal) && header[6..].Split('-') is [var a, var b] &&
            long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var first) &&
            long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var last) &&
            first <= last)
        {
            return last < size
                ? new ByteRange(first, last - first + 1)
                : throw new S3Exception(S3Error.InvalidRange, $"The requested range {header} is not satisfiable for a source object of size {size}.");
        }

        throw new S3Exception(S3Error.InvalidArgument, $"Range specified is not valid for source object of size: {size}");
    }

    /// <summary>Parse step of Complete: the part list, ascending (InvalidPartOrder otherwise), and the parts' checksums the client sent (ChecksumCRC32 and friends).</summary>
    private static async Task<(List<CompletedPart> Parts, Dictionary<int, string> Checksums)> ReadCompletionAsync(S3Request r)
    {
        var document = await S3Body.ReadXmlAsync(r, objectChecksumHeaders: true).ConfigureAwait(false);
        if (document.Root is not { Name.LocalName: "CompleteMultipartUpload" } root)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var parts = new List<CompletedPart>();
        var checksums = new Dictionary<int, string>();
        foreach (var part in root.Elements().Where(e => e.Name.LocalName == "Part"))
        {
            if (!int.TryParse(S3Body.Child(part, "PartNumber")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || S3Body.Child(part, "ETag")?.Value is not { } etag)
            {
                throw new S3Exception(S3Error.MalformedXml);
            }

            parts.Add(new CompletedPart(number, etag));
            if (part.Elements().FirstOrDefault(e => e.Name.LocalName.StartsWith("Checksum", StringComparison.Ordinal)) is { } sent)
            {
                checksums[number] = sent.Value;
            }
        }

        if (parts.Count is 0 or > MaxPartNumber)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].PartNumber <= parts[i - 1].PartNumber)
            {
                throw new S3Exception(S3Error.InvalidPartOrder);
            }
        }

        return (parts, checksums);
    }

    /// <summary>S3's multipart ETag: the MD5 of the parts' binary MD5s (the "-N" suffix is added by the caller).</summary>
    private static string MultipartETag(IEnumerable<UploadedPart> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in parts)
        {
            md5.AppendData(Convert.FromHexString(part.ETag.Trim('"')));
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
