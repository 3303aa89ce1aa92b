using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// S3 multipart uploads on Put Block / Put Block List, with all state in Azure so that any gateway
/// instance can serve any call. An upload is a zero-length marker blob
/// ".gateway-uploads/KEY/.u.ID" (its metadata is Begin's metadata, plus the initiation time; for a
/// directory key "dir/" that is ".gateway-uploads/dir//.u.ID", so it never names an upload of "dir") and the
/// uncommitted blocks of the target blob KEY itself, whose ids (<see cref="AzureBlockId"/>) carry the
/// upload id, the part number, an attempt stamp, the block index and, in a part's last block, the
/// part's MD5. A part is the newest attempt that reached its last block; Complete commits the named
/// parts' blocks in order, which atomically replaces the object and discards every other
/// uncommitted block, then removes the marker. Abort removes the marker; its blocks stay uncommitted
/// (invisible) until the next commit to that name or Azure's one-week collection of uncommitted blocks.
/// </summary>
internal sealed partial class AzureBlobBackend : IMultipartUploads
{
    private const int MaxPartNumber = 10_000;
    private const string MarkerInfix = "/.u.";
    private const string InitiatedName = "gwinitiated";

    /// <summary>The MD5 of nothing: the ETag of an empty part.</summary>
    private static readonly byte[] EmptyMd5 = Convert.FromHexString("d41d8cd98f00b204e9800998ecf8427e");

    public async ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path, forWrite: true);
        var idBytes = RandomNumberGenerator.GetBytes(AzureBlockId.UploadIdLength);
        var id = Base64Url.EncodeToString(idBytes);
        var initiated = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var values = ToAzureMetadata(metadata, null);
        values[InitiatedName] = initiated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var marker = MarkerOf(blob, id);
        await Send(
            path,
            () => marker.UploadAsync(BinaryData.Empty, new BlobUploadOptions { HttpHeaders = ToHeaders(metadata, metadata.ContentType, null), Metadata = values }, cancellationToken)).ConfigureAwait(false);
        return new MultipartUpload(id, path, initiated, metadata);
    }

    public async ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, CancellationToken cancellationToken)
    {
        if (partNumber is < 1 or > MaxPartNumber)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"part number {partNumber} is not between 1 and {MaxPartNumber}", path.Value);
        }

        var (blob, idBytes, _) = await FindUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        var block = BlockBlobOf(blob);
        var (millis, salt) = AzureBlockId.NewAttempt();
        using var uploader = new AzureBlockUploader(block, (int)Options.ChunkSize, Options.UploadConcurrency);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var first = await uploader.ReadFirstAsync(content, length, (int)Options.ChunkSize, md5, cancellationToken).ConfigureAwait(false);
        if (first.Count == 0 && first.Ended)
        {
            // Azure has no empty blocks: an empty part is one stand-in byte that Complete leaves out.
            first.Buffer[0] = 0;
            first = (first.Buffer, 1, true);
            await uploader.StageAllAsync(content, null, first, md5, (i, _, _) => Id(AzureBlockKind.PartEmpty, i, EmptyMd5), cancellationToken).ConfigureAwait(false);
            return new UploadedPart(partNumber, QuotedMd5(EmptyMd5), 0, DateTimeOffset.FromUnixTimeMilliseconds(millis));
        }

        await uploader.StageAllAsync(content, length, first, md5, (i, last, hash) => Id(last ? AzureBlockKind.PartFinal : AzureBlockKind.Part, i, hash), cancellationToken).ConfigureAwait(false);
        return new UploadedPart(partNumber, QuotedMd5(uploader.Md5), uploader.Length, DateTimeOffset.FromUnixTimeMilliseconds(millis));

        string Id(AzureBlockKind kind, int index, byte[]? hash) =>
            new AzureBlockId(kind, idBytes, partNumber, millis, salt, index, hash ?? ReadOnlyMemory<byte>.Empty).Encode();
    }

    public async ValueTask<MultipartUpload> GetUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        var (_, _, marker) = await FindUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        return ToUpload(path, uploadId, marker.ContentType, null, marker.CacheControl, marker.ContentDisposition, marker.ContentEncoding, marker.ContentLanguage, marker.Metadata, marker.CreatedOn);
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(VfsPath path, string uploadId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (blob, idBytes, _) = await FindUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        var parts = await StagedPartsAsync(blob, idBytes, path, cancellationToken).ConfigureAwait(false);
        foreach (var part in parts.Values)
        {
            yield return part.ToUploadedPart();
        }
    }

    public async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uploads = new List<MultipartUpload>();
        if (IsAccount && dir.IsRoot)
        {
            await foreach (var container in Guard(_service!.GetBlobContainersAsync(cancellationToken: cancellationToken), dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
            {
                var top = VfsPath.Root.Join(container.Name);
                await CollectUploadsAsync(top, _service.GetBlobContainerClient(container.Name), string.Empty, top, uploads, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (TryLocate(dir, out var location))
        {
            // Paths come back relative to the container; this maps them back to the backend's root.
            var containerRoot = IsAccount ? VfsPath.Root.Join(dir.Segments[0]) : VfsPath.Root;
            await CollectUploadsAsync(dir, location.Container, location.DirPrefix, containerRoot, uploads, cancellationToken).ConfigureAwait(false);
        }

        foreach (var upload in uploads.OrderBy(u => u.Path).ThenBy(u => u.Initiated))
        {
            yield return upload;
        }
    }

    public async ValueTask<Entry> CompleteAsync(VfsPath path, string uploadId, IReadOnlyList<CompletedPart> parts, ObjectMetadata? metadata, CancellationToken cancellationToken)
    {
        var (blob, idBytes, marker) = await FindUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        if (parts.Count == 0)
        {
            throw new VfsException(VfsErrorKind.Invalid, "a multipart upload needs at least one part", path.Value);
        }

        var staged = await StagedPartsAsync(blob, idBytes, path, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        long size = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var wanted = parts[i];
            if (i > 0 && wanted.PartNumber <= parts[i - 1].PartNumber)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"part {wanted.PartNumber} follows part {parts[i - 1].PartNumber}: parts must be in ascending order", path.Value);
            }

            if (!staged.TryGetValue(wanted.PartNumber, out var part) || !string.Equals(part.ETagHex, wanted.ETag.Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw new VfsException(VfsErrorKind.Invalid, $"part {wanted.PartNumber} was not uploaded or its ETag is not {wanted.ETag}", path.Value);
            }

            ids.AddRange(part.BlockIds);
            size += part.Size;
        }

        var begun = ToUpload(path, uploadId, marker.ContentType, null, marker.CacheControl, marker.ContentDisposition, marker.ContentEncoding, marker.ContentLanguage, marker.Metadata, marker.CreatedOn).Metadata;
        var final = begun with
        {
            ETag = metadata?.ETag ?? begun.ETag,
            Checksums = metadata?.Checksums ?? begun.Checksums,
        };
        var headers = ToHeaders(final, final.ContentType, null);
        var values = ToAzureMetadata(final, null);
        var block = BlockBlobOf(blob);
        var committed = await Send(
            path,
            () => block.CommitBlockListAsync(ids, new CommitBlockListOptions { HttpHeaders = headers, Metadata = values, AccessTier = Options.AccessTier }, cancellationToken)).ConfigureAwait(false);
        Remember(BlobName(blob), Unquote(committed.ETag), FromAzure(headers.ContentType, null, headers.CacheControl, headers.ContentDisposition, headers.ContentEncoding, headers.ContentLanguage, values));
        try
        {
            await MarkerOf(blob, uploadId).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            // The object is complete; a marker left behind lists a stale upload until it is aborted.
            throw AzureBlobErrors.Map(e, path.Value);
        }

        return Entry.File(path, size, committed.LastModified.ToUniversalTime(), Unquote(committed.ETag), DeclaredContentType(headers.ContentType, values));
    }

    public async ValueTask AbortAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        var (blob, _, _) = await FindUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        try
        {
            await MarkerOf(blob, uploadId).DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value) is { Kind: VfsErrorKind.NotFound } ? NoUpload(path, uploadId) : AzureBlobErrors.Map(e, path.Value);
        }
    }

    private static BlobClient MarkerOf(BlobClient target, string uploadId) =>
        target.GetParentBlobContainerClient().GetBlobClient(UploadsPrefix + BlobName(target) + MarkerInfix + uploadId);

    private static VfsException NoUpload(VfsPath path, string uploadId) =>
        new(VfsErrorKind.NotFound, $"no upload '{uploadId}' in progress for '{path}'", path.Value);

    /// <summary>The target blob, the upload id's bytes and the marker's properties; NotFound when the upload is unknown, finished or another path's.</summary>
    private async ValueTask<(BlobClient Blob, byte[] IdBytes, BlobProperties Marker)> FindUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        var blob = BlobOf(path, forWrite: true);
        var idBytes = new byte[AzureBlockId.UploadIdLength];
        if (uploadId.Length != 22 || !Base64Url.TryDecodeFromChars(uploadId, idBytes, out var written) || written != idBytes.Length)
        {
            throw NoUpload(path, uploadId);
        }

        try
        {
            var marker = await MarkerOf(blob, uploadId).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (blob, idBytes, marker.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw NoUpload(path, uploadId);
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }
    }

    /// <summary>The finished parts of an upload by number: for each, the newest attempt whose blocks reached its final block.</summary>
    private async ValueTask<SortedDictionary<int, AzureStagedPart>> StagedPartsAsync(BlobClient blob, byte[] idBytes, VfsPath path, CancellationToken cancellationToken)
    {
        BlockList list;
        try
        {
            var block = BlockBlobOf(blob);
            list = (await block.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
        {
            return [];
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, path.Value);
        }

        return AzureStagedPart.Select(list.UncommittedBlocks ?? [], idBytes);
    }

    private async ValueTask CollectUploadsAsync(VfsPath dir, BlobContainerClient container, string dirPrefix, VfsPath containerRoot, List<MultipartUpload> uploads, CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, UploadsPrefix + dirPrefix, cancellationToken).AsPages(null, ListPageSize);
        await foreach (var page in Guard(pages, dir, VfsErrorKind.DirNotFound, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                var name = item.Name[UploadsPrefix.Length..];
                var infix = name.LastIndexOf(MarkerInfix, StringComparison.Ordinal);
                if (infix <= 0)
                {
                    continue;
                }

                var key = name[..infix];
                var id = name[(infix + MarkerInfix.Length)..];
                string relative;
                if (IsAccount)
                {
                    relative = key;
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
                    continue;
                }

                if (!VfsPath.TryParseKey(relative, out var rel, out _) || rel.IsRoot)
                {
                    continue;
                }

                var path = containerRoot.Combine(rel);
                if (path == dir || !path.IsUnder(dir))
                {
                    continue;
                }

                var p = item.Properties;
                uploads.Add(ToUpload(path, id, p.ContentType, null, p.CacheControl, p.ContentDisposition, p.ContentEncoding, p.ContentLanguage, item.Metadata, p.CreatedOn ?? DateTimeOffset.UnixEpoch));
            }
        }
    }

    private static MultipartUpload ToUpload(
        VfsPath path, string id, string? contentType, byte[]? md5, string? cacheControl, string? contentDisposition, string? contentEncoding, string? contentLanguage,
        IDictionary<string, string>? values, DateTimeOffset created)
    {
        var initiated = values is not null && values.TryGetValue(InitiatedName, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : created;
        var metadata = FromAzure(contentType, md5, cacheControl, contentDisposition, contentEncoding, contentLanguage, values) ?? new ObjectMetadata();
        return new MultipartUpload(id, path, initiated, metadata);
    }

    private static string QuotedMd5(byte[] md5) => "\"" + Convert.ToHexStringLower(md5) + "\"";
}
