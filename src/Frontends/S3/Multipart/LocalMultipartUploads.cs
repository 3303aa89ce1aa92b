using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// The fallback for backends that cannot stage parts (local, sftp, ftp) and for the VFS cache modes:
/// parts are staged on this instance's disk (<see cref="MultipartStore"/>) and streamed into one Vfs
/// put at Complete, so the object appears whole or not at all. Uploads expire after
/// <see cref="S3Options.MultipartExpiry"/> (checked at start and at most hourly on Begin).
/// </summary>
internal sealed partial class LocalMultipartUploads(VirtualFileSystem vfs, MultipartStore store, TimeProvider time, ILogger logger) : IS3MultipartUploads
{
    /// <summary>Complete and Abort of one upload id run one at a time in this process (the only one that has it).</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploadLocks = new(StringComparer.Ordinal);
    private long _lastCleanupTicks;

    /// <summary>Complete is a Vfs put, which takes the condition.</summary>
    public bool CompleteTakesCondition => true;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            store.Initialize();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Http.GatewayStartupException($"cannot use the multipart staging directory '{store.Root}': {e.Message}", e);
        }

        _lastCleanupTicks = time.GetUtcNow().UtcTicks;
        await RemoveExpiredAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        await CleanupIfDueAsync(cancellationToken).ConfigureAwait(false);
        var bucket = path.Segments[0];
        var key = path.RelativeTo(VfsPath.Root.Join(bucket)).Value;
        var staged = await store.CreateAsync(bucket, key, metadata, cancellationToken).ConfigureAwait(false);
        return ToUpload(staged, path);
    }

    public async ValueTask<MultipartUpload?> FindAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken)
    {
        var staged = await store.GetAsync(uploadId, cancellationToken).ConfigureAwait(false);
        return staged is not null && PathOf(staged) == path ? ToUpload(staged, path) : null;
    }

    /// <summary>The staged upload is on this disk: looking it up costs no more than remembering it.</summary>
    public ValueTask<MultipartUpload?> FindForPartAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken) =>
        FindAsync(path, uploadId, cancellationToken);

    public async ValueTask<UploadedPart> PutPartAsync(MultipartUpload upload, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken)
    {
        var part = await store.StagePartAsync(upload.UploadId, partNumber, content, checksum, cancellationToken).ConfigureAwait(false);
        return ToPart(part);
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartUpload upload, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var part in await store.ListPartsAsync(upload.UploadId, cancellationToken).ConfigureAwait(false))
        {
            yield return ToPart(part);
        }
    }

    public async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath bucket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var staged in await store.ListUploadsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (staged.Bucket == bucket.Name && PathOf(staged) is { IsRoot: false } path)
            {
                yield return ToUpload(staged, path);
            }
        }
    }

    public async ValueTask<Entry> CompleteAsync(MultipartUpload upload, IReadOnlyList<CompletedPart> parts, long length, ObjectMetadata metadata, PutCondition? condition, CancellationToken cancellationToken)
    {
        var gate = _uploadLocks.GetOrAdd(upload.UploadId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another Complete or an Abort of the same id may have finished while this one waited.
            _ = await store.GetAsync(upload.UploadId, cancellationToken).ConfigureAwait(false) ?? throw new S3Exception(S3Error.NoSuchUpload);
            var content = new PartsStream(store, upload.UploadId, [.. parts.Select(p => p.PartNumber)]);
            Entry entry;
            await using (content.ConfigureAwait(false))
            {
                var user = metadata.UserMetadata;
                var options = new PutOptions(length, S3Metadata.ModTimeOf(user), metadata.ContentType, user.Count > 0 ? user : null)
                {
                    Headers = metadata.Headers,
                    ObjectMetadataProvider = _ => ValueTask.FromResult<ObjectMetadata?>(metadata),
                    Condition = condition,
                };
                entry = await vfs.PutAsync(upload.Path, content, options, cancellationToken).ConfigureAwait(false);
            }

            store.Delete(upload.UploadId);
            return entry;
        }
        finally
        {
            gate.Release();
            _uploadLocks.TryRemove(new KeyValuePair<string, SemaphoreSlim>(upload.UploadId, gate));
        }
    }

    public async ValueTask AbortAsync(MultipartUpload upload, CancellationToken cancellationToken)
    {
        var gate = _uploadLocks.GetOrAdd(upload.UploadId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _ = await store.GetAsync(upload.UploadId, cancellationToken).ConfigureAwait(false) ?? throw new S3Exception(S3Error.NoSuchUpload);
            store.Delete(upload.UploadId);
        }
        finally
        {
            gate.Release();
            _uploadLocks.TryRemove(new KeyValuePair<string, SemaphoreSlim>(upload.UploadId, gate));
        }
    }

    private static MultipartUpload ToUpload(StagedUpload staged, VfsPath path) =>
        new(staged.UploadId, path, staged.Initiated, new ObjectMetadata
        {
            ContentType = staged.ContentType,
            UserMetadata = staged.UserMetadata,
            Headers = staged.Headers,
            StorageClass = staged.StorageClass,
            Tags = staged.Tags ?? [],
            Checksums = staged.Checksums ?? [],
        });

    private static UploadedPart ToPart(StagedPart part) => new(part.PartNumber, S3Metadata.Quote(part.Md5), part.Size, part.LastModified) { Checksum = part.Checksum };

    /// <summary>
    /// The object path an upload was begun for (a key ending in '/' is a directory key, which only a
    /// bucket-based backend holds); the root for a record that names no key this backend can store.
    /// </summary>
    private VfsPath PathOf(StagedUpload staged) =>
        BucketNames.IsValid(staged.Bucket) && VfsPath.TryParseKey(staged.Key, out var key, out _) && !key.IsRoot && (vfs.Features.BucketBased || !key.IsDirectoryKey)
            ? VfsPath.Root.Join(staged.Bucket).Combine(key)
            : VfsPath.Root;

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastCleanupTicks);
        if (now - last < TimeSpan.TicksPerHour || Interlocked.CompareExchange(ref _lastCleanupTicks, now, last) != last)
        {
            return;
        }

        await RemoveExpiredAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = await store.RemoveExpiredAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            LogExpiredUploads(logger, removed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "removed {Count} expired multipart uploads")]
    private static partial void LogExpiredUploads(ILogger logger, int count);
}
