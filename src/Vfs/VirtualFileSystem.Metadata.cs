using Microsoft.Extensions.Logging;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs;

/// <summary>Object metadata (docs/vfs.md "Object metadata"): natively where the backend can, else sidecar records in the backend.</summary>
public sealed partial class VirtualFileSystem
{
    /// <summary>
    /// The metadata kept for exactly the version <paramref name="file"/> (an entry from
    /// <see cref="StatAsync"/> or a listing), or null when none was written for that version: the
    /// file was written without metadata, by another tool, or replaced since. A write still waiting
    /// in the cache answers from the cache.
    /// </summary>
    public async ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        if (file.IsDirectory || file.Path.IsRoot || IsReserved(file.Path))
        {
            return null;
        }

        if (_cache is not null && _cache.DirtyMetadata(file.Path, out var pending))
        {
            return pending;
        }

        return await RetryAsync(ct => _metadataStorage.GetMetadataAsync(file, ct), "read metadata of", file.Path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the metadata kept for exactly the version <paramref name="file"/> without rewriting its
    /// bytes (S3 PutObjectTagging). Read-only mounts and reserved paths are refused like writes.
    /// </summary>
    public async ValueTask UpdateMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        CheckWritable(file.Path);
        if (file.IsDirectory || file.Path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.IsDirectory, "metadata is kept for files only", file.Path.Value);
        }

        await SetMetadataAsync(file, metadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The metadata a put asks to keep: the provider's answer, else the content type and user metadata; null when there is nothing to keep.</summary>
    internal static ValueTask<ObjectMetadata?> ResolveMetadataAsync(PutOptions options, CancellationToken cancellationToken) =>
        options.ResolveMetadataAsync(cancellationToken);

    /// <summary>Stores the metadata of a version that has just landed in the backend.</summary>
    internal async ValueTask SetMetadataAsync(Entry stored, ObjectMetadata metadata, CancellationToken cancellationToken) =>
        await RetryAsync(async ct => { await _metadataStorage.SetMetadataAsync(stored, metadata, ct).ConfigureAwait(false); return true; }, "write metadata of", stored.Path, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Drops the sidecar record of a deleted or moved file (native storage drops it with the object).
    /// The object operation has already succeeded: a record left behind describes a version that no
    /// longer exists and is ignored, so a failure here is logged rather than failing the delete.
    /// </summary>
    private async ValueTask DeleteMetadataAsync(VfsPath path, CancellationToken cancellationToken)
    {
        if (_sidecar is null)
        {
            return;
        }

        try
        {
            await _sidecar.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e)
        {
            LogStaleRecordKept(_logger, path.Value, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove the metadata record of {Path} (it matches no object now and is ignored): {Error}")]
    private static partial void LogStaleRecordKept(ILogger logger, string path, string error);

    /// <summary>The backend keeps metadata with its objects and stores a put's metadata in the put itself.</summary>
    internal bool HasNativeMetadata => _sidecar is null;

    /// <summary>
    /// The sidecar directory is the Vfs's own: invisible and untouchable through the Vfs. On a
    /// path-based backend it stays reserved with native metadata too: records written before the
    /// backend kept metadata natively (the local backend's xattrs) remain there until migrated.
    /// </summary>
    private bool IsReserved(VfsPath path) => (_sidecar is not null || !Features.BucketBased) && MetadataPaths.IsReserved(path, Features.CaseInsensitive);

    private void RejectReserved(VfsPath path)
    {
        if (IsReserved(path))
        {
            throw new VfsException(VfsErrorKind.Invalid, $"'{MetadataPaths.RootName}' is reserved for object metadata", path.Value);
        }
    }
}
