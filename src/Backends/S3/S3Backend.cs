using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>
/// Objects in one bucket under a prefix (<c>s3:bucket/path</c>) or every bucket of the account as
/// top-level directories (<c>s3:</c>), through AWSSDK.S3. Bucket-based: directories are key prefixes,
/// listed with delimiter '/' page by page; an empty directory is a zero-byte "dir/" marker object (what
/// the S3 frontend's CreateBucket and a client's "folder" leave). Puts never leave a partial object:
/// PutObject is atomic and a failed multipart upload is aborted. Metadata, ETags and multipart uploads
/// are the server's own (S3Backend.Metadata.cs, S3Backend.Multipart.cs), so any number of gateways can
/// share the bucket. Contract: this file; puts: S3Backend.Put.cs; copy and recursive listing:
/// S3Backend.Capabilities.cs; client setup and the error edge: S3Backend.Client.cs.
/// </summary>
internal sealed partial class S3Backend : IBackend
{
    /// <summary>Content type of the "dir/" marker objects (what rclone and the S3 console write).</summary>
    private const string DirectoryContentType = "application/x-directory";

    private readonly IAmazonS3 _client;
    private readonly ILogger _logger;

    /// <summary>Spool buffers: chunk-sized ones kept for reuse, one upload's worth (chunk_size × (upload_concurrency + 1)).</summary>
    private readonly S3BufferPool _buffers;

    private S3Backend(S3Options options, IAmazonS3 client, ILogger logger)
    {
        Options = options;
        _buffers = new S3BufferPool((int)Math.Min(options.ChunkSize, Array.MaxLength), options.UploadConcurrency + 1);
        _client = client;
        _logger = logger;
        var features = BackendFeatures.Discover(this, bucketBased: true, canHaveEmptyDirectories: true, partialUploads: false, conditionalPut: true);
        Features = features with
        {
            Multipart = options.MultipartPassthrough ? features.Multipart : null,
            Copy = options.ServerSideCopy ? features.Copy : null,
        };
    }

    public S3Options Options { get; }

    public BackendFeatures Features { get; }

    public async IAsyncEnumerable<Entry> ListAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsAccountRoot(dir))
        {
            var buckets = await CallAsync(() => _client.ListBucketsAsync(cancellationToken), "list buckets of", dir).ConfigureAwait(false);
            foreach (var bucket in buckets.Buckets ?? [])
            {
                if (TryChild(dir, bucket.BucketName, out var path))
                {
                    yield return Entry.Directory(path, Seconds(bucket.CreationDate));
                }
            }

            yield break;
        }

        var location = Locate(dir);
        var prefix = location.DirPrefix;
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = prefix, Delimiter = "/", ContinuationToken = token };
            var page = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken), "list", dir, VfsErrorKind.DirNotFound).ConfigureAwait(false);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                if (TryChild(dir, common[prefix.Length..].TrimEnd('/'), out var path))
                {
                    yield return Entry.Directory(path);
                }
            }

            foreach (var item in page.S3Objects ?? [])
            {
                // Names S3 allows but a path cannot hold ("a//b", "..") are skipped.
                if (item.Key.Length > prefix.Length && TryChild(dir, item.Key[prefix.Length..], out var path))
                {
                    yield return ToEntry(path, item);
                }
                else if (item.Key == prefix && !dir.IsRoot)
                {
                    // The directory's own key "dir/" (a marker, or an object a client stored there).
                    yield return ToEntry(dir.AsDirectoryKey(), item);
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return Entry.Directory(path);
        }

        if (IsAccountRoot(path.Parent))
        {
            try
            {
                await CallAsync(() => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = path.Name }, cancellationToken), "stat bucket", path).ConfigureAwait(false);
                return Entry.Directory(path);
            }
            catch (VfsException e) when (e.Kind == VfsErrorKind.DirNotFound)
            {
                throw VfsException.NotFound(path);
            }
        }

        var location = Locate(path);
        try
        {
            var head = await HeadAsync(location, path, cancellationToken).ConfigureAwait(false);
            var entry = Entry.File(path, head.ContentLength, Seconds(head.LastModified), head.ETag, head.Headers.ContentType);
            _heads.AddOrUpdate(entry, head);
            return entry;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
        }

        // Not an object: a directory when some key (a file or a marker) lies below it.
        return await HasKeysBelowAsync(location, path, cancellationToken).ConfigureAwait(false)
            ? Entry.Directory(path)
            : throw VfsException.NotFound(path);
    }

    public async ValueTask<Stream> OpenReadAsync(VfsPath path, Vfs.ByteRange? range, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);
        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.Key };
        if (range is { } r)
        {
            if (r.Offset < 0 || r.Length < 0)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"invalid byte range (offset {r.Offset}, length {r.Length})", path.Value);
            }

            if (r.Length == 0)
            {
                // HTTP cannot ask for zero bytes; the object must still exist.
                await HeadAsync(location, path, cancellationToken).ConfigureAwait(false);
                return Stream.Null;
            }

            request.ByteRange = r.Length is { } length ? new Amazon.S3.Model.ByteRange(r.Offset, r.Offset + length - 1) : new Amazon.S3.Model.ByteRange($"bytes={r.Offset}-");
        }

        try
        {
            var response = await CallAsync(() => _client.GetObjectAsync(request, cancellationToken), "read", path).ConfigureAwait(false);
            if (response.ContentRange is { } contentRange && contentRange.EndsWith("/0", StringComparison.Ordinal))
            {
                // A range of an empty object: S3 answers 416, some servers (s3rver) a 206 "bytes 0-0/0" with a body that never comes.
                response.Dispose();
                return Stream.Null;
            }

            return new S3ReadStream(response);
        }
        catch (VfsException e) when (range is not null && e.InnerException is AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            // A range starting at or past the end (or any range of an empty object): the contract wants an empty stream.
            return Stream.Null;
        }
    }

    public async ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken)
    {
        var location = Locate(path, forObject: true);

        // DeleteObject succeeds for a missing key; the contract wants NotFound.
        await HeadAsync(location, path, cancellationToken).ConfigureAwait(false);
        await CallAsync(() => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = location.Bucket, Key = location.Key }, cancellationToken), "delete", path).ConfigureAwait(false);
    }

    public async ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        if (dir.IsRoot)
        {
            return;
        }

        if (IsAccountRoot(dir.Parent))
        {
            await CreateBucketAsync(dir, cancellationToken).ConfigureAwait(false);
            return;
        }

        var location = Locate(dir);
        var marker = new PutObjectRequest
        {
            BucketName = location.Bucket,
            Key = location.DirPrefix,
            InputStream = new MemoryStream([], writable: false),
            ContentType = DirectoryContentType,
            UseChunkEncoding = false,
        };
        try
        {
            await CallAsync(() => _client.PutObjectAsync(marker, cancellationToken), "create directory", dir, VfsErrorKind.DirNotFound).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.DirNotFound && Options.Bucket is null)
        {
            // s3: creates the bucket of a deeper directory too ("creates missing parents").
            await CreateBucketAsync(VfsPath.Parse(dir.Segments[0]), cancellationToken).ConfigureAwait(false);
            marker.InputStream = new MemoryStream([], writable: false);
            await CallAsync(() => _client.PutObjectAsync(marker, cancellationToken), "create directory", dir).ConfigureAwait(false);
        }
    }

    public async ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken)
    {
        if (IsAccountRoot(dir.Parent) && !dir.IsRoot)
        {
            await CallAsync(() => _client.DeleteBucketAsync(new DeleteBucketRequest { BucketName = dir.Name }, cancellationToken), "remove bucket", dir, VfsErrorKind.DirNotFound).ConfigureAwait(false);
            return;
        }

        var location = Locate(dir);
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.DirPrefix, MaxKeys = 2 };
        var page = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken), "remove directory", dir, VfsErrorKind.DirNotFound).ConfigureAwait(false);
        var keys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
        if (keys.Any(k => k != location.DirPrefix))
        {
            throw VfsException.DirNotEmpty(dir);
        }

        if (keys.Count == 0)
        {
            if (dir.IsRoot)
            {
                return;
            }

            throw VfsException.DirNotFound(dir);
        }

        await CallAsync(() => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = location.Bucket, Key = location.DirPrefix }, cancellationToken), "remove directory", dir).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CreateBucketAsync(VfsPath bucket, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket.Name }, cancellationToken), "create bucket", bucket).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.AlreadyExists && e.InnerException is AmazonS3Exception { ErrorCode: "BucketAlreadyOwnedByYou" })
        {
            // Mkdir is idempotent.
        }
    }

    private async Task<GetObjectMetadataResponse> HeadAsync(S3Location location, VfsPath path, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(() => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = location.Bucket, Key = location.Key }, cancellationToken), "stat", path).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.DirNotFound)
        {
            // A missing bucket of s3: means the object is missing too.
            throw VfsException.NotFound(path);
        }
    }

    private async Task<bool> HasKeysBelowAsync(S3Location location, VfsPath path, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.DirPrefix, MaxKeys = 1 };
        try
        {
            var page = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken), "stat", path).ConfigureAwait(false);
            return page.S3Objects is { Count: > 0 };
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.DirNotFound or VfsErrorKind.NotFound)
        {
            return false;
        }
    }

    private static Entry ToEntry(VfsPath path, S3Object item) =>
        Entry.File(path, item.Size ?? 0, Seconds(item.LastModified), item.ETag);

    /// <summary>
    /// Whole seconds (UTC): HEAD answers an HTTP date while a listing has milliseconds, and the same
    /// version must look the same both ways (the S3 frontend's ETag cache keys on it).
    /// </summary>
    private static DateTimeOffset Seconds(DateTime? time)
    {
        if (time is not { } t)
        {
            return DateTimeOffset.UnixEpoch;
        }

        var utc = new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime());
        return new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private static bool TryChild(VfsPath dir, string name, out VfsPath child)
    {
        child = default;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        return VfsPath.TryParse(dir.IsRoot ? name : dir.Value + "/" + name, out child, out _) && child.Parent == dir;
    }
}
