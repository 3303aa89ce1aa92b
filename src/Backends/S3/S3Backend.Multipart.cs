using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Backends.S3;

/// <summary>
/// The S3 frontend's multipart uploads mapped 1:1 onto the server's native ones: the upload id, the
/// parts and their ETags are the server's, so a part sent through one gateway and the Complete sent
/// through another both work, and nothing is staged on the gateway (a part larger than the chunk
/// size passes through a temp file only while it is being sent).
/// <para>
/// S3 has no "get upload": GetUpload, Complete and Abort look the id up in ListMultipartUploads for
/// exactly this key (Complete must never assemble another key's upload, which some servers would do
/// at that other key); parts and ListParts leave the check to the server.
/// </para>
/// </summary>
internal sealed partial class S3Backend : IMultipartUploads
{
    public async ValueTask<Vfs.Multipart.MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        var uploadId = await CreateUploadAsync(location, path, metadata, cancellationToken).ConfigureAwait(false);

        // CreateMultipartUpload does not say when; the listing does, and GetUploadAsync answers from it
        // too. The metadata went to the server with the upload and cannot be read back from it: the
        // upload is described as GetUploadAsync describes it (empty metadata), wherever it is asked.
        var listed = await FindUploadAsync(location, path, uploadId, cancellationToken).ConfigureAwait(false);
        return listed ?? new Vfs.Multipart.MultipartUpload(uploadId, path, Seconds(DateTime.UtcNow), new ObjectMetadata());
    }

    public async ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        if (partNumber is < 1 or > S3Options.MaxParts)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"part number {partNumber} is not between 1 and {S3Options.MaxParts}", path.Value);
        }

        // No listing first (it would cost a ListMultipartUploads per part): the server answers
        // NoSuchUpload (NotFound) for an unknown, finished or foreign id. The S3 frontend checks the
        // id against this key when an upload is new to its instance.
        if (length is { } streamed && Streams(streamed))
        {
            var etag = await UploadPartStreamedAsync(location, path, uploadId, partNumber, content, streamed, cancellationToken).ConfigureAwait(false);
            return new UploadedPart(partNumber, Quote(etag), streamed, Seconds(DateTime.UtcNow));
        }

        var memory = Math.Max(Options.ChunkSize, Options.UploadCutoff);
        using var body = await S3Spool.FillAsync(content, length, memory, spillToDisk: true, md5: Options.ChecksumWhenRequired, _buffers, cancellationToken).ConfigureAwait(false);
        if (length is { } expected && body.Length < expected)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"part {partNumber} ended after {body.Length} of {expected} bytes", path.Value);
        }

        var spooledETag = await UploadPartAsync(location, path, uploadId, partNumber, body, cancellationToken).ConfigureAwait(false);
        return new UploadedPart(partNumber, Quote(spooledETag), body.Length, Seconds(DateTime.UtcNow));
    }

    public async ValueTask<Vfs.Multipart.MultipartUpload> GetUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        return await RequireUploadAsync(location, path, uploadId, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(VfsPath path, string uploadId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The server answers NoSuchUpload (NotFound) for an unknown, finished or foreign id.
        var location = Locate(path, forObject: true);
        string? marker = null;
        while (true)
        {
            var request = new ListPartsRequest { BucketName = location.Bucket, Key = location.Key, UploadId = uploadId, PartNumberMarker = marker };
            var page = await CallAsync(() => _client.ListPartsAsync(request, cancellationToken), "list parts of", path).ConfigureAwait(false);
            foreach (var part in (page.Parts ?? []).OrderBy(p => p.PartNumber))
            {
                yield return new UploadedPart(part.PartNumber ?? 0, Quote(part.ETag), part.Size ?? 0, Seconds(part.LastModified));
            }

            if (page.IsTruncated != true || page.NextPartNumberMarker is not { } next)
            {
                yield break;
            }

            marker = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public async IAsyncEnumerable<Vfs.Multipart.MultipartUpload> ListUploadsAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsAccountRoot(dir))
        {
            await foreach (var bucket in ListAsync(dir, cancellationToken).ConfigureAwait(false))
            {
                await foreach (var upload in ListUploadsAsync(bucket.Path, cancellationToken).ConfigureAwait(false))
                {
                    yield return upload;
                }
            }

            yield break;
        }

        var location = Locate(dir);
        await foreach (var upload in ListUploadsWithPrefixAsync(location.Bucket, location.DirPrefix, dir, cancellationToken).ConfigureAwait(false))
        {
            yield return upload;
        }
    }

    public async ValueTask<Entry> CompleteAsync(VfsPath path, string uploadId, IReadOnlyList<CompletedPart> parts, ObjectMetadata? metadata, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        if (parts.Count == 0)
        {
            throw new VfsException(VfsErrorKind.Invalid, "a multipart upload needs at least one part", path.Value);
        }

        _ = await RequireUploadAsync(location, path, uploadId, cancellationToken).ConfigureAwait(false);
        var request = new CompleteMultipartUploadRequest
        {
            BucketName = location.Bucket,
            Key = location.Key,
            UploadId = uploadId,
            PartETags = [.. parts.Select(p => new PartETag(p.PartNumber, Quote(p.ETag)))],
        };

        // The object's ETag and checksums are the server's own; the frontend's (in metadata) are not needed.
        await CallAsync(() => _client.CompleteMultipartUploadAsync(request, cancellationToken), "complete upload of", path).ConfigureAwait(false);
        return await StatAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AbortAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        _ = await RequireUploadAsync(location, path, uploadId, cancellationToken).ConfigureAwait(false);
        var request = new AbortMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = uploadId };
        await CallAsync(() => _client.AbortMultipartUploadAsync(request, cancellationToken), "abort upload of", path).ConfigureAwait(false);
    }

    private async Task<Vfs.Multipart.MultipartUpload> RequireUploadAsync(S3Location location, VfsPath path, string uploadId, CancellationToken cancellationToken) =>
        await FindUploadAsync(location, path, uploadId, cancellationToken).ConfigureAwait(false)
        ?? throw new VfsException(VfsErrorKind.NotFound, $"no upload '{uploadId}' in progress for '{path}'", path.Value);

    /// <summary>The upload <paramref name="uploadId"/> of exactly this key, from ListMultipartUploads (S3 has no "get upload"); null when there is none.</summary>
    private async Task<Vfs.Multipart.MultipartUpload?> FindUploadAsync(S3Location location, VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        await foreach (var upload in ListUploadsWithPrefixAsync(location.Bucket, location.Key, path.Parent, cancellationToken).ConfigureAwait(false))
        {
            if (upload.UploadId == uploadId && upload.Path == path)
            {
                return upload;
            }
        }

        return null;
    }

    /// <summary>Uploads whose key starts with <paramref name="prefix"/>, as paths relative to the backend's root (keys outside it skipped).</summary>
    private async IAsyncEnumerable<Vfs.Multipart.MultipartUpload> ListUploadsWithPrefixAsync(string bucket, string prefix, VfsPath about, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? keyMarker = null;
        string? idMarker = null;
        while (true)
        {
            var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = keyMarker, UploadIdMarker = idMarker };
            var page = await CallAsync(() => _client.ListMultipartUploadsAsync(request, cancellationToken), "list uploads of", about, VfsErrorKind.DirNotFound).ConfigureAwait(false);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (PathOfKey(bucket, upload.Key) is { } path)
                {
                    yield return new Vfs.Multipart.MultipartUpload(upload.UploadId, path, Seconds(upload.Initiated), new ObjectMetadata());
                }
            }

            if (page.IsTruncated != true || (page.NextKeyMarker is null && page.NextUploadIdMarker is null))
            {
                yield break;
            }

            (keyMarker, idMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }
    }

    /// <summary>
    /// The path of <paramref name="key"/> in <paramref name="bucket"/> relative to the backend's root
    /// (a key ending in '/' is a directory key); null when it lies outside or is no valid path.
    /// </summary>
    private VfsPath? PathOfKey(string bucket, string key)
    {
        string relative;
        if (Options.Bucket is null)
        {
            relative = bucket + "/" + key;
        }
        else if (Options.Prefix.Length == 0)
        {
            relative = key;
        }
        else if (key.StartsWith(Options.Prefix + "/", StringComparison.Ordinal))
        {
            relative = key[(Options.Prefix.Length + 1)..];
        }
        else
        {
            return null;
        }

        return VfsPath.TryParseKey(relative, out var path, out _) && !path.IsRoot ? path : null;
    }

    private static string Quote(string etag) => etag.StartsWith('"') ? etag : "\"" + etag + "\"";
}
