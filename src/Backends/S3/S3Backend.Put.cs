using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Backends.S3;

/// <summary>
/// Puts: one PutObject below upload_cutoff, else a native multipart upload whose parts (chunk_size
/// each) are read one at a time and sent upload_concurrency at a time, so memory stays at most
/// chunk_size × (upload_concurrency + 1) per upload; any failure aborts the upload, so no partial
/// object and no orphaned upload is left. A body of known length above <see cref="StreamAbove"/>
/// goes into its PutObject (or UploadPart) as it is read, without a spool (see <see cref="Streams"/>).
/// </summary>
internal sealed partial class S3Backend
{
    /// <summary>Known-length bodies up to this size are spooled: cheap in memory, and the SDK can resend them on a retry.</summary>
    private const long StreamAbove = S3Options.MiB;

    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        var length = options.Length;
        if (length is { } streamed && streamed < Options.UploadCutoff && Streams(streamed))
        {
            return await PutObjectStreamedAsync(location, path, content, streamed, options, cancellationToken).ConfigureAwait(false);
        }

        if (length is not { } known || known < Options.UploadCutoff)
        {
            // Small or of unknown length: read up to one body; if the content ends inside it, one PutObject.
            var firstLimit = length ?? Math.Max(Options.ChunkSize, Options.UploadCutoff);
            var first = await S3Spool.FillAsync(content, firstLimit, firstLimit, spillToDisk: false, md5: Options.ChecksumWhenRequired, _buffers, cancellationToken).ConfigureAwait(false);
            try
            {
                if (length is { } l && first.Length < l)
                {
                    throw new VfsException(VfsErrorKind.Invalid, $"content ended after {first.Length} of {l} bytes", path.Value);
                }

                if (length is not null || (first.SourceEnded && first.Length < Math.Max(Options.UploadCutoff, 1)))
                {
                    return await PutObjectAsync(location, path, first, options, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                first.Dispose();
                throw;
            }

            return await PutMultipartAsync(location, path, content, first, options, cancellationToken).ConfigureAwait(false);
        }

        return await PutMultipartAsync(location, path, content, null, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Entry> PutObjectAsync(S3Location location, VfsPath path, S3Spool body, PutOptions options, CancellationToken cancellationToken)
    {
        using (body)
        {
            // The content has been read to its end: the metadata (with the frontend's hashes) is final.
            var metadata = await options.ResolveMetadataAsync(cancellationToken).ConfigureAwait(false);
            using var input = body.OpenRead();
            var request = PutRequest(location, input, body.Length, metadata ?? FromOptions(options), options.Condition);
            request.UseChunkEncoding = false;
            (request.MD5Digest, request.ChecksumAlgorithm, request.ChecksumCRC32) = ChecksumOf(body);
            var response = await CallAsync(() => _client.PutObjectAsync(request, cancellationToken), "write", path).ConfigureAwait(false);
            return Entry.File(path, body.Length, Seconds(DateTime.UtcNow), response.ETag ?? body.Md5ETag, request.ContentType);
        }
    }

    /// <summary>
    /// Whether a body of <paramref name="length"/> bytes is sent as it is read rather than spooled.
    /// The SDK sends a stream it cannot rewind as aws-chunked (signed chunks over http, which carry
    /// the integrity check; none needed over https), so only to servers that decode it (not with
    /// request_checksum=when_required); the SDK's own trailer checksum is turned off per request
    /// (its CRC-32 is a slow managed loop). Such a request is not retried by the SDK: the client
    /// retries it, as it does against S3 itself.
    /// </summary>
    private bool Streams(long length) => length > StreamAbove && !Options.ChecksumWhenRequired;

    /// <summary>
    /// One PutObject whose body is the caller's stream: the headers (content type, stored headers,
    /// user metadata) go first, from the options; the read that completes the body asks for the
    /// final metadata (the frontend's last checks run there) before the last bytes go out, so a
    /// failed check breaks the request off short of its Content-Length and nothing is stored.
    /// </summary>
    private async Task<Entry> PutObjectStreamedAsync(S3Location location, VfsPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        var sent = FromOptions(options);
        ObjectMetadata? resolved = null;
        var body = new S3UploadBody(content, length, async ct => resolved = await options.ResolveMetadataAsync(ct).ConfigureAwait(false));
        var request = PutRequest(location, body, length, sent, options.Condition);
        request.DisableDefaultChecksumValidation = true;
        if (options.Sha256 is { Length: 32 } sha256)
        {
            // The caller's digest as x-amz-checksum-sha256 (signed with the other headers; the server
            // refuses a body that does not match it) and the body sent plain: the SDK cannot hash a
            // stream it cannot rewind, so it signs UNSIGNED-PAYLOAD instead of hashing every chunk
            // (over http) — one SHA-256 pass over the content fewer, the same end-to-end check.
            request.UseChunkEncoding = false;
            request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
            request.ChecksumSHA256 = Convert.ToBase64String(sha256);
        }

        PutObjectResponse response;
        try
        {
            response = await CallAsync(() => _client.PutObjectAsync(request, cancellationToken), "write", path).ConfigureAwait(false);
        }
        catch (Exception) when (body.Failure is { } failure)
        {
            failure.Throw();
            throw;
        }

        var entry = Entry.File(path, length, Seconds(DateTime.UtcNow), response.ETag, request.ContentType);
        return await SetLateMetadataAsync(entry, resolved, sent, cancellationToken).ConfigureAwait(false);
    }

    private PutObjectRequest PutRequest(S3Location location, Stream input, long length, ObjectMetadata metadata, PutCondition? condition)
    {
        var request = new PutObjectRequest
        {
            BucketName = location.Bucket,
            Key = location.Key,
            InputStream = input,
            AutoCloseStream = false,
            DisablePayloadSigning = PayloadSigningOptional,
        };
        request.Headers.ContentLength = length;
        ApplyMetadata(request, metadata);
        ApplyCondition(request, condition);
        return request;
    }

    /// <summary>
    /// A put that had to name its metadata before the content was read (<paramref name="sent"/>):
    /// what the frontend only knew at the end (rare: the options name the rest) is set by a copy
    /// onto itself. Returns the entry of the stored version.
    /// </summary>
    private async Task<Entry> SetLateMetadataAsync(Entry entry, ObjectMetadata? resolved, ObjectMetadata sent, CancellationToken cancellationToken)
    {
        if (resolved is null || SameStoredFields(resolved, sent))
        {
            return entry;
        }

        await SetMetadataAsync(entry, resolved, cancellationToken).ConfigureAwait(false);
        return await StatAsync(entry.Path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Entry> PutMultipartAsync(S3Location location, VfsPath path, Stream content, S3Spool? first, PutOptions options, CancellationToken cancellationToken)
    {
        var begun = FromOptions(options);
        string uploadId;
        try
        {
            uploadId = await CreateUploadAsync(location, path, begun, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            first?.Dispose();
            throw;
        }

        try
        {
            var (parts, total) = await UploadPartsAsync(location, path, uploadId, content, first, options.Length, cancellationToken).ConfigureAwait(false);
            var metadata = await options.ResolveMetadataAsync(cancellationToken).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = uploadId, PartETags = parts };
            ApplyCondition(complete, options.Condition);
            var done = await CallAsync(() => _client.CompleteMultipartUploadAsync(complete, cancellationToken), "write", path).ConfigureAwait(false);
            var entry = Entry.File(path, total, Seconds(DateTime.UtcNow), done.ETag, begun.ContentType);
            return await SetLateMetadataAsync(entry, metadata, begun, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(location, path, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads and sends the parts; the first may already have been read. Returns the part list for Complete and the byte count.</summary>
    private async Task<(List<PartETag> Parts, long Total)> UploadPartsAsync(
        S3Location location, VfsPath path, string uploadId, Stream content, S3Spool? first, long? length, CancellationToken cancellationToken)
    {
        // Parts grow for objects that would need more than 10,000 of chunk_size (rclone does the same).
        var chunk = Options.ChunkSize;
        if (length is { } l && (l + chunk - 1) / chunk > S3Options.MaxParts)
        {
            chunk = ((l / S3Options.MaxParts) + S3Options.MiB) / S3Options.MiB * S3Options.MiB;
        }

        using var slots = new SemaphoreSlim(Options.UploadConcurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new List<Task<PartETag>>();
        long total = 0;
        var number = 0;
        var pending = first;
        try
        {
            while (true)
            {
                await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                var body = pending;
                pending = null;
                if (body is null)
                {
                    var limit = length is { } known ? Math.Min(chunk, known - total) : chunk;
                    if (limit == 0 && number > 0)
                    {
                        slots.Release();
                        break;
                    }

                    body = await S3Spool.FillAsync(content, limit, chunk, spillToDisk: false, md5: Options.ChecksumWhenRequired, _buffers, failed.Token).ConfigureAwait(false);
                    if (length is { } expected && body.Length < limit)
                    {
                        body.Dispose();
                        throw new VfsException(VfsErrorKind.Invalid, $"content ended after {total + body.Length} of {expected} bytes", path.Value);
                    }

                    // An unknown-length stream that ended exactly at a part boundary: nothing more to send.
                    if (body.Length == 0 && number > 0)
                    {
                        body.Dispose();
                        slots.Release();
                        break;
                    }
                }

                if (++number > S3Options.MaxParts)
                {
                    body.Dispose();
                    throw new VfsException(VfsErrorKind.Invalid, $"more than {S3Options.MaxParts} parts of {chunk} bytes: raise chunk_size for objects of unknown length this large", path.Value);
                }

                total += body.Length;
                var ended = body.SourceEnded || (length is { } k && total >= k);
                inFlight.Add(SendPartAsync(location, path, uploadId, number, body, slots, failed));
                if (ended)
                {
                    break;
                }
            }

            var parts = await Task.WhenAll(inFlight).ConfigureAwait(false);
            return ([.. parts.OrderBy(p => p.PartNumber)], total);
        }
        catch (Exception e)
        {
            pending?.Dispose();
            await failed.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
            }
            catch (Exception) when (inFlight.Count > 0)
            {
                // Reported below: the first real failure, not the cancellations it caused.
            }

            // The reader stopped because a part failed: that part's error is the one to report.
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested &&
                inFlight.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException) is { } partFailure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partFailure.Exception!.InnerException!);
            }

            throw;
        }
    }

    private async Task<PartETag> SendPartAsync(S3Location location, VfsPath path, string uploadId, int number, S3Spool body, SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            using (body)
            {
                var part = await UploadPartAsync(location, path, uploadId, number, body, failed.Token).ConfigureAwait(false);
                return new PartETag(number, part);
            }
        }
        catch
        {
            // Stop the reader and the other parts at once.
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<string> UploadPartAsync(S3Location location, VfsPath path, string uploadId, int number, S3Spool body, CancellationToken cancellationToken)
    {
        using var input = body.OpenRead();
        var request = PartRequest(location, uploadId, number, input, body.Length);
        request.UseChunkEncoding = false;
        (request.MD5Digest, request.ChecksumAlgorithm, request.ChecksumCRC32) = ChecksumOf(body);
        var response = await CallAsync(() => _client.UploadPartAsync(request, cancellationToken), "write part of", path).ConfigureAwait(false);
        return response.ETag ?? body.Md5ETag
            ?? throw new VfsException(VfsErrorKind.Transient, $"the server answered part {number} without an ETag", path.Value);
    }

    /// <summary>One part whose body is the caller's stream, sent as it is read (see <see cref="Streams"/>); a failed read breaks the request off and no part is stored.</summary>
    private async Task<string> UploadPartStreamedAsync(S3Location location, VfsPath path, string uploadId, int number, Stream content, long length, CancellationToken cancellationToken)
    {
        var body = new S3UploadBody(content, length, _ => ValueTask.CompletedTask, inPlaceSeekable: true);
        var request = PartRequest(location, uploadId, number, body, length);
        request.DisableDefaultChecksumValidation = true;
        try
        {
            var response = await CallAsync(() => _client.UploadPartAsync(request, cancellationToken), "write part of", path).ConfigureAwait(false);
            return response.ETag ?? throw new VfsException(VfsErrorKind.Transient, $"the server answered part {number} without an ETag", path.Value);
        }
        catch (Exception) when (body.Failure is { } failure)
        {
            failure.Throw();
            throw;
        }
    }

    private UploadPartRequest PartRequest(S3Location location, string uploadId, int number, Stream input, long length) => new()
    {
        BucketName = location.Bucket,
        Key = location.Key,
        UploadId = uploadId,
        PartNumber = number,
        InputStream = input,
        PartSize = length,
        DisablePayloadSigning = PayloadSigningOptional,
    };

    private async Task<string> CreateUploadAsync(S3Location location, VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key };
        ApplyMetadata(request, metadata);
        var response = await CallAsync(() => _client.InitiateMultipartUploadAsync(request, cancellationToken), "start upload of", path).ConfigureAwait(false);
        return response.UploadId;
    }

    /// <summary>Aborts after a failure; the caller's exception is the one that matters, so this one's own failure is only logged.</summary>
    private async Task AbortQuietlyAsync(S3Location location, VfsPath path, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (S3Errors.IsSdkFailure(e) || e is OperationCanceledException)
        {
            LogAbortFailed(_logger, path.Value, e.Message);
        }
    }

    /// <summary>
    /// The integrity check of a spooled body, sent as a header so that the body goes plain (one
    /// SHA-256 for the signature over http, none over https) rather than aws-chunked with a trailer
    /// the SDK computes itself: the CRC-32 (x-amz-checksum-crc32) the spool computed, or for servers
    /// without flexible checksums (when_required) the Content-MD5 they have always checked.
    /// </summary>
    private (string? Md5, ChecksumAlgorithm? Algorithm, string? Crc32) ChecksumOf(S3Spool body) =>
        Options.ChecksumWhenRequired ? (body.Md5Base64, null, null) : (null, ChecksumAlgorithm.CRC32, body.Crc32Base64);

    /// <summary>
    /// Over https the payload need not be hashed into the signature (UNSIGNED-PAYLOAD, what the AWS
    /// SDKs do there): TLS protects it and the checksum header checks it. The SDK allows it only there.
    /// </summary>
    private bool PayloadSigningOptional => Options.Endpoint is not { } endpoint || endpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The metadata a put names up front: its content type, stored headers and user metadata.</summary>
    private static ObjectMetadata FromOptions(PutOptions options) => new()
    {
        ContentType = options.ContentType,
        Headers = options.Headers ?? new Dictionary<string, string>(),
        UserMetadata = options.Metadata ?? new Dictionary<string, string>(),
    };

    private static bool SameStoredFields(ObjectMetadata a, ObjectMetadata b) =>
        a.ContentType == b.ContentType
        && a.Headers.Count == b.Headers.Count && a.Headers.All(h => b.Headers.TryGetValue(h.Key, out var v) && v == h.Value)
        && a.UserMetadata.Count == b.UserMetadata.Count && a.UserMetadata.All(m => b.UserMetadata.TryGetValue(m.Key, out var v) && v == m.Value);

    private static void ApplyCondition(PutObjectRequest request, PutCondition? condition)
    {
        if (condition?.IfNoneMatchAny == true)
        {
            request.IfNoneMatch = "*";
        }

        if (condition?.IfMatch is { } etag)
        {
            request.IfMatch = etag.StartsWith('"') ? etag : "\"" + etag + "\"";
        }
    }

    private static void ApplyCondition(CompleteMultipartUploadRequest request, PutCondition? condition)
    {
        if (condition?.IfNoneMatchAny == true)
        {
            request.IfNoneMatch = "*";
        }

        if (condition?.IfMatch is { } etag)
        {
            request.IfMatch = etag.StartsWith('"') ? etag : "\"" + etag + "\"";
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "s3: could not abort the failed multipart upload of {Path} (the bucket's lifecycle rule for incomplete uploads will remove it): {Error}")]
    private static partial void LogAbortFailed(Microsoft.Extensions.Logging.ILogger logger, string path, string error);
}
