using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// Multipart uploads: parts are staged on local disk under the cache directory and streamed into
/// one Vfs put at Complete, so the object appears whole or not at all.
/// </summary>
internal sealed partial class S3Frontend
{
    /// <summary>AWS's minimum size of every part but the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    private const int MaxPartNumber = 10000;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploadLocks = new(StringComparer.Ordinal);
    private long _lastCleanupTicks;

    private async Task CreateMultipartUploadAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        if (r.IsDirectoryMarker)
        {
            throw new S3Exception(S3Error.InvalidRequest, "A directory marker cannot be uploaded in parts.");
        }

        await RequireBucketAsync(r).ConfigureAwait(false);
        await CleanupIfDueAsync(ct).ConfigureAwait(false);
        var upload = await _multipart.CreateAsync(r.Bucket, r.Key, r.Header("Content-Type"), UserMetadataOf(r), StoredHeadersOf(r), ct).ConfigureAwait(false);
        var w = await S3Xml.StartAsync(r.Context.Response, "InitiateMultipartUploadResult").ConfigureAwait(false);
        await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
        await w.ElementAsync("UploadId", upload.UploadId).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private async Task UploadPartAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var upload = await RequireUploadAsync(r).ConfigureAwait(false);
        var partNumber = PartNumberOf(r);
        var body = OpenBody(r, MaxObjectSize, computeMd5: false);
        var part = await _multipart.StagePartAsync(upload, partNumber, body, ct).ConfigureAwait(false);
        r.Context.Response.Headers.ETag = Quote(part.Md5);
        if (body.VerifiedChecksum is { } checksum)
        {
            r.Context.Response.Headers[checksum.Key] = checksum.Value;
        }
    }

    private async Task UploadPartCopyAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var upload = await RequireUploadAsync(r).ConfigureAwait(false);
        var partNumber = PartNumberOf(r);
        var (sourcePath, source, _) = await ResolveCopySourceAsync(r).ConfigureAwait(false);
        ByteRange? range = null;
        var length = source.Size;
        if (r.Header("x-amz-copy-source-range") is { } rangeHeader)
        {
            range = ParseCopyRange(rangeHeader, source.Size);
            length = range.Value.Length!.Value;
        }

        var stream = await _vfs.OpenReadAsync(sourcePath, range, ct).ConfigureAwait(false);
        MultipartPart part;
        await using (stream.ConfigureAwait(false))
        {
            // Exactly the range's length, so a source that changed size underneath is noticed.
            var exact = new PayloadStream(stream, length, length, computeMd5: false, null, null, null, () => null);
            await using (exact.ConfigureAwait(false))
            {
                part = await _multipart.StagePartAsync(upload, partNumber, exact, ct).ConfigureAwait(false);
            }
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "CopyPartResult").ConfigureAwait(false);
        await w.ElementAsync("LastModified", part.LastModified).ConfigureAwait(false);
        await w.ElementAsync("ETag", Quote(part.Md5)).ConfigureAwait(false);
        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private async Task CompleteMultipartUploadAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await RequireBucketAsync(r).ConfigureAwait(false);
        var requested = await ReadCompletionAsync(r).ConfigureAwait(false);
        var gate = _uploadLocks.GetOrAdd(r.Query("uploadId")!, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var upload = await RequireUploadAsync(r).ConfigureAwait(false);
            var staged = (await _multipart.ListPartsAsync(upload.UploadId, ct).ConfigureAwait(false)).ToDictionary(p => p.PartNumber);
            var md5s = new List<byte[]>();
            long total = 0;
            for (var i = 1; i < requested.Count; i++)
            {
                if (requested[i].PartNumber <= requested[i - 1].PartNumber)
                {
                    throw new S3Exception(S3Error.InvalidPartOrder);
                }
            }

            for (var i = 0; i < requested.Count; i++)
            {
                var (number, etag) = requested[i];

                if (!staged.TryGetValue(number, out var part) || !string.Equals(part.Md5, etag.Trim().Trim('"'), StringComparison.OrdinalIgnoreCase))
                {
                    throw new S3Exception(S3Error.InvalidPart) { Details = [new("PartNumber", number.ToString(CultureInfo.InvariantCulture)), new("ETag", etag)] };
                }

                if (i < requested.Count - 1 && part.Size < MinPartSize)
                {
                    throw new S3Exception(S3Error.EntityTooSmall) { Details = [new("PartNumber", number.ToString(CultureInfo.InvariantCulture)), new("ProposedSize", part.Size.ToString(CultureInfo.InvariantCulture)), new("MinSizeAllowed", MinPartSize.ToString(CultureInfo.InvariantCulture))] };
                }

                md5s.Add(Convert.FromHexString(part.Md5));
                total += part.Size;
            }

            if (total > MaxMultipartObjectSize)
            {
                throw new S3Exception(S3Error.EntityTooLarge);
            }

            var objectETag = Quote($"{MultipartETag(md5s)}-{requested.Count}");
            var content = new PartsStream(_multipart, upload.UploadId, [.. requested.Select(p => p.PartNumber)]);
            Entry entry;
            await using (content.ConfigureAwait(false))
            {
                var metadata = new ObjectMetadata
                {
                    ContentType = upload.ContentType,
                    Headers = upload.Headers,
                    UserMetadata = upload.UserMetadata,
                    ETag = objectETag,
                };
                var options = new PutOptions(total, ModTimeOf(upload.UserMetadata), upload.ContentType, upload.UserMetadata.Count > 0 ? upload.UserMetadata : null)
                {
                    ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(metadata),
                };
                var put = _vfs.PutAsync(r.ObjectPath, content, options, ct).AsTask();
                try
                {
                    await KeepAliveUntilAsync(r, put).ConfigureAwait(false);
                    entry = await put.ConfigureAwait(false);
                }
                catch (Exception e) when (r.Context.Response.HasStarted && e is S3Exception or VfsException)
                {
                    var error = e is S3Exception s3 ? s3.Error : S3Errors.FromKind(((VfsException)e).Kind);
                    await WriteErrorDocumentAsync(r.Context.Response, error, e.Message, r.Resource, r.RequestId, []).ConfigureAwait(false);
                    return;
                }
            }

            _etags.Set(entry, objectETag);
            _multipart.Delete(upload.UploadId);

            var w = await S3Xml.StartAsync(r.Context.Response, "CompleteMultipartUploadResult").ConfigureAwait(false);
            await w.ElementAsync("Location", $"/{r.Bucket}/{r.Key}").ConfigureAwait(false);
            await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
            await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
            await w.ElementAsync("ETag", objectETag).ConfigureAwait(false);
            await S3Xml.EndAsync(w).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
            _uploadLocks.TryRemove(new KeyValuePair<string, SemaphoreSlim>(r.Query("uploadId")!, gate));
        }
    }

    /// <summary>How long a Complete may run before the response starts and whitespace keeps it alive.</summary>
    internal TimeSpan CompleteKeepAliveInterval { get; init; } = TimeSpan.FromSeconds(10);

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
            while (await Task.WhenAny(work, Task.Delay(CompleteKeepAliveInterval, aborted)).ConfigureAwait(false) != work && !aborted.IsCancellationRequested)
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

    private async Task AbortMultipartUploadAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var gate = _uploadLocks.GetOrAdd(r.Query("uploadId")!, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var upload = await RequireUploadAsync(r).ConfigureAwait(false);
            _multipart.Delete(upload.UploadId);
            r.Context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        finally
        {
            gate.Release();
            _uploadLocks.TryRemove(new KeyValuePair<string, SemaphoreSlim>(r.Query("uploadId")!, gate));
        }
    }

    /// <summary>AWS: 10,000 parts of at most 5 GiB, and 5 TiB in all.</summary>
    private const long MaxMultipartObjectSize = 5L * 1024 * 1024 * 1024 * 1024;

    private async Task<MultipartUpload> RequireUploadAsync(S3Request r)
    {
        var upload = await _multipart.GetAsync(r.Query("uploadId"), r.Context.RequestAborted).ConfigureAwait(false);
        if (upload is null || upload.Bucket != r.Bucket || upload.Key != r.Key)
        {
            if (upload is null)
            {
                await RequireBucketAsync(r).ConfigureAwait(false);
            }

            throw new S3Exception(S3Error.NoSuchUpload);
        }

        return upload;
    }

    private static int PartNumberOf(S3Request r) =>
        int.TryParse(r.Query("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPartNumber
            ? n
            : throw new S3Exception(S3Error.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");

    private static ByteRange ParseCopyRange(string header, long size)
    {
        // Only "bytes=first-last", both given, inside the source.
        if (header.StartsWith("bytes=", StringComparison.Ordinal) && header[6..].Split('-') is [var a, var b] &&
            long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var first) &&
            long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var last) &&
            first <= last && last < size)
        {
            return new ByteRange(first, last - first + 1);
        }

        throw new S3Exception(S3Error.InvalidArgument, $"Range specified is not valid for source object of size: {size}");
    }

    private async Task<List<(int PartNumber, string ETag)>> ReadCompletionAsync(S3Request r)
    {
        var document = await ReadXmlAsync(r).ConfigureAwait(false);
        if (document.Root is not { Name.LocalName: "CompleteMultipartUpload" } root)
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var parts = new List<(int, string)>();
        foreach (var part in root.Elements().Where(e => e.Name.LocalName == "Part"))
        {
            if (!int.TryParse(Child(part, "PartNumber")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || Child(part, "ETag")?.Value is not { } etag)
            {
                throw new S3Exception(S3Error.MalformedXml);
            }

            parts.Add((number, etag));
        }

        return parts.Count is 0 or > MaxPartNumber ? throw new S3Exception(S3Error.MalformedXml) : parts;
    }

    /// <summary>S3's multipart ETag: the MD5 of the parts' binary MD5s (the "-N" suffix is added by the caller).</summary>
    private static string MultipartETag(List<byte[]> partMd5s)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var m in partMd5s)
        {
            md5.AppendData(m);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private async Task CleanupIfDueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastCleanupTicks);
        if (now - last < TimeSpan.TicksPerHour || Interlocked.CompareExchange(ref _lastCleanupTicks, now, last) != last)
        {
            return;
        }

        var removed = await _multipart.RemoveExpiredAsync(ct).ConfigureAwait(false);
        if (removed > 0)
        {
            LogExpiredUploads(_logger, removed);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "removed {Count} expired multipart uploads")]
    private static partial void LogExpiredUploads(Microsoft.Extensions.Logging.ILogger logger, int count);
}
