using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>Server-side copy (CopyObject; UploadPartCopy above copy_cutoff) and the recursive listing (no delimiter).</summary>
internal sealed partial class S3Backend : IServerSideCopy, IRecursiveList
{
    public async ValueTask<Entry> CopyAsync(VfsPath from, VfsPath to, CancellationToken cancellationToken)
    {
        var source = Locate(from, forObject: true);
        var target = Locate(to, forObject: true);
        var head = await HeadAsync(source, from, cancellationToken).ConfigureAwait(false);
        if (head.ContentLength > Options.CopyCutoff)
        {
            return await CopyMultipartAsync(source, from, target, to, head, MetadataOf(head), cancellationToken).ConfigureAwait(false);
        }

        var request = new CopyObjectRequest
        {
            SourceBucket = source.Bucket,
            SourceKey = source.Key,
            DestinationBucket = target.Bucket,
            DestinationKey = target.Key,
            MetadataDirective = S3MetadataDirective.COPY,
        };
        ApplyStorage(request);
        var response = await CallAsync(() => _client.CopyObjectAsync(request, cancellationToken), "copy", from).ConfigureAwait(false);
        return Entry.File(to, head.ContentLength, Seconds(DateTime.UtcNow), response.ETag, head.Headers.ContentType);
    }

    public async IAsyncEnumerable<Entry> ListRecursiveAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsAccountRoot(dir))
        {
            await foreach (var bucket in ListAsync(dir, cancellationToken).ConfigureAwait(false))
            {
                yield return bucket;
                await foreach (var entry in ListRecursiveAsync(bucket.Path, cancellationToken).ConfigureAwait(false))
                {
                    yield return entry;
                }
            }

            yield break;
        }

        var location = Locate(dir);
        var prefix = location.DirPrefix;

        // S3 has no directory entries: each one is reported once, before the first key below it.
        var directories = new HashSet<VfsPath>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = prefix, ContinuationToken = token };
            var page = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken), "list", dir, VfsErrorKind.DirNotFound).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var relative = item.Key[prefix.Length..];
                var isMarker = relative.EndsWith('/');
                if (relative.Length == 0 || !VfsPath.TryParse(isMarker ? relative[..^1] : relative, out var below, out _))
                {
                    continue;
                }

                var path = dir.Combine(below);
                var parents = new Stack<VfsPath>();
                for (var parent = isMarker ? path : path.Parent; parent != dir && directories.Add(parent); parent = parent.Parent)
                {
                    parents.Push(parent);
                }

                while (parents.TryPop(out var parent))
                {
                    yield return Entry.Directory(parent);
                }

                if (!isMarker)
                {
                    yield return ToEntry(path, item);
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    private async Task<Entry> CopyMultipartAsync(
        S3Location source, VfsPath from, S3Location target, VfsPath to, GetObjectMetadataResponse head, Vfs.Metadata.ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var uploadId = await CreateUploadAsync(target, to, metadata, cancellationToken).ConfigureAwait(false);
        try
        {
            var size = head.ContentLength;
            var partSize = Math.Max(Options.CopyCutoff, ((size / S3Options.MaxParts) + S3Options.MiB) / S3Options.MiB * S3Options.MiB);
            using var slots = new SemaphoreSlim(Options.UploadConcurrency);
            var tasks = new List<Task<PartETag>>();
            var number = 0;
            for (long offset = 0; offset < size; offset += partSize)
            {
                var partNumber = ++number;
                var request = new CopyPartRequest
                {
                    SourceBucket = source.Bucket,
                    SourceKey = source.Key,
                    DestinationBucket = target.Bucket,
                    DestinationKey = target.Key,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    FirstByte = offset,
                    LastByte = Math.Min(size, offset + partSize) - 1,

                    // The copy must be of the version measured above.
                    ETagToMatch = [head.ETag],
                };
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                tasks.Add(CopyPartAsync(request, from, slots, cancellationToken));
            }

            var parts = await Task.WhenAll(tasks).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = target.Bucket, Key = target.Key, UploadId = uploadId, PartETags = [.. parts] };
            var done = await CallAsync(() => _client.CompleteMultipartUploadAsync(complete, cancellationToken), "copy", from).ConfigureAwait(false);
            return Entry.File(to, size, Seconds(DateTime.UtcNow), done.ETag, metadata.ContentType);
        }
        catch
        {
            await AbortQuietlyAsync(target, to, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<PartETag> CopyPartAsync(CopyPartRequest request, VfsPath from, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(() => _client.CopyPartAsync(request, cancellationToken), "copy part of", from).ConfigureAwait(false);
            return new PartETag(request.PartNumber ?? 0, response.ETag);
        }
        finally
        {
            slots.Release();
        }
    }

    private void ApplyStorage(CopyObjectRequest request)
    {
        if (Options.StorageClass is { } storageClass)
        {
            request.StorageClass = new S3StorageClass(storageClass);
        }

        if (Options.ServerSideEncryption is { } sse)
        {
            request.ServerSideEncryptionMethod = new ServerSideEncryptionMethod(sse);
            request.ServerSideEncryptionKeyManagementServiceKeyId = Options.SseKmsKeyId;
        }
    }
}
