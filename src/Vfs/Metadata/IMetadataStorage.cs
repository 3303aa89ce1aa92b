namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// Optional backend capability: the backend stores <see cref="ObjectMetadata"/> with the object
/// itself (object stores with user metadata headers). When a backend implements it, the Vfs calls
/// it instead of keeping sidecar records, and expects copy, move and delete to carry or drop the
/// metadata together with the object.
/// <para>
/// A backend with this capability stores a put's metadata in <see cref="IBackend.PutAsync"/> itself,
/// atomically with the object: it calls <see cref="PutOptions.ResolveMetadataAsync"/> once the content
/// has been read to its end and before the object becomes visible (Azure: in Put Blob or Put Block
/// List; S3: in PutObject or CompleteMultipartUpload; local: as xattrs of the temp file before the
/// rename). The Vfs then makes no second call after a put. <see cref="SetMetadataAsync"/> remains for
/// copies and moves and for the VFS cache's write-back.
/// </para>
/// </summary>
public interface IMetadataStorage
{
    /// <summary>
    /// The metadata stored for exactly this version of <paramref name="file"/>, or null when none
    /// was stored (an absence, not an error). Throws only for real failures (transient, auth).
    /// </summary>
    ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="metadata"/> for the version <paramref name="file"/> of the object, replacing earlier metadata.</summary>
    ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken);
}
