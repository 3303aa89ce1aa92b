using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>Puts: one Put Blob up to upload_cutoff, else staged blocks and one Put Block List carrying the headers, metadata and conditions.</summary>
internal sealed partial class AzureBlobBackend
{
    public async ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await PutBlobAsync(path, content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.AlreadyExists && options.Condition is not null)
        {
            // Azure answers a failed If-None-Match: * with 409 BlobAlreadyExists.
            throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{path}' already exists", path.Value, e);
        }
    }

    private async ValueTask<Entry> PutBlobAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path, forWrite: true);
        var conditions = await ConditionsAsync(blob, path, options.Condition, cancellationToken).ConfigureAwait(false);
        var block = BlockBlobOf(blob);
        using var uploader = new AzureBlockUploader(block, (int)Options.ChunkSize, Options.UploadConcurrency);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var firstSize = options.Length is { } known && known <= Options.UploadCutoff ? (int)known : (int)Math.Max(Options.ChunkSize, Options.UploadCutoff);
        var first = await uploader.ReadFirstAsync(content, options.Length, firstSize, md5, cancellationToken).ConfigureAwait(false);
        if (first.Ended && first.Count <= Options.UploadCutoff)
        {
            try
            {
                if (options.Length is { } expected && first.Count < expected)
                {
                    throw new VfsException(VfsErrorKind.Invalid, $"content ended after {first.Count} of {expected} bytes", path.Value);
                }

                var hash = md5.GetHashAndReset();
                var (headers, metadata) = await DescribePutAsync(options, hash, cancellationToken).ConfigureAwait(false);
                using var body = BinaryData.FromBytes(first.Buffer.AsMemory(0, first.Count)).ToStream();
                var uploaded = await Send(
                    path,
                    () => block.UploadAsync(body, new BlobUploadOptions { HttpHeaders = headers, Metadata = metadata, Conditions = conditions, AccessTier = Options.AccessTier }, cancellationToken)).ConfigureAwait(false);
                return Stored(path, BlobName(blob), first.Count, uploaded.ETag, uploaded.LastModified, options, headers, metadata);
            }
            finally
            {
                AzureBlockUploader.Return(first.Buffer);
            }
        }

        var putId = RandomNumberGenerator.GetBytes(AzureBlockId.UploadIdLength);
        var (millis, salt) = AzureBlockId.NewAttempt();
        await uploader.StageAllAsync(
            content,
            options.Length,
            first,
            md5,
            (index, _, _) => new AzureBlockId(AzureBlockKind.Put, putId, 0, millis, salt, index, ReadOnlyMemory<byte>.Empty).Encode(),
            cancellationToken).ConfigureAwait(false);
        var (h, m) = await DescribePutAsync(options, uploader.Md5, cancellationToken).ConfigureAwait(false);
        var committed = await Send(
            path,
            () => block.CommitBlockListAsync(uploader.BlockIds, new CommitBlockListOptions { HttpHeaders = h, Metadata = m, Conditions = conditions, AccessTier = Options.AccessTier }, cancellationToken)).ConfigureAwait(false);
        return Stored(path, BlobName(blob), uploader.Length, committed.ETag, committed.LastModified, options, h, m);
    }

    /// <summary>The headers and metadata of a put, resolved once the content has been read to its end.</summary>
    private static async ValueTask<(BlobHttpHeaders Headers, Dictionary<string, string> Metadata)> DescribePutAsync(PutOptions options, byte[] md5, CancellationToken cancellationToken)
    {
        var metadata = await options.ResolveMetadataAsync(cancellationToken).ConfigureAwait(false);
        var contentType = metadata?.ContentType ?? options.ContentType;
        return (ToHeaders(metadata, contentType, md5), ToAzureMetadata(metadata, options.ModTime, md5, contentType));
    }

    private Entry Stored(VfsPath path, string blobName, long size, ETag etag, DateTimeOffset lastModified, PutOptions options, BlobHttpHeaders headers, Dictionary<string, string> metadata)
    {
        var tag = Unquote(etag);
        Remember(blobName, tag, FromAzure(headers.ContentType, headers.ContentHash, headers.CacheControl, headers.ContentDisposition, headers.ContentEncoding, headers.ContentLanguage, metadata));
        return Entry.File(path, size, options.ModTime?.ToUniversalTime() ?? lastModified.ToUniversalTime(), tag, DeclaredContentType(headers.ContentType, metadata));
    }

    /// <summary>Azure's access conditions for a put's <see cref="PutCondition"/>, so that the check is atomic with the write.</summary>
    private static async ValueTask<BlobRequestConditions?> ConditionsAsync(BlobClient blob, VfsPath path, PutCondition? condition, CancellationToken cancellationToken)
    {
        if (condition is null)
        {
            return null;
        }

        if (condition.IfNoneMatchAny)
        {
            return new BlobRequestConditions { IfNoneMatch = ETag.All };
        }

        if (condition.IfMatch is not { } shown)
        {
            return null;
        }

        // The client saw the frontend's ETag (the S3 MD5 tag); Azure checks its own. Pin the
        // version whose tags match: if it changes before the write lands, Azure refuses it.
        BlobProperties properties;
        try
        {
            properties = await StatFileAsync(blob, path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{path}' does not exist (If-Match)", path.Value, e);
        }

        return MatchingVersion(properties, shown) is { } version
            ? new BlobRequestConditions { IfMatch = version }
            : throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{path}' has another ETag than {shown}", path.Value);
    }

    /// <summary>Sends one request and translates its failure.</summary>
    private static async ValueTask<T> Send<T>(VfsPath path, Func<Task<Response<T>>> request)
    {
        try
        {
            return (await request().ConfigureAwait(false)).Value;
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }
}
