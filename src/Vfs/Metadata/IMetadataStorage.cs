namespace VfsGateway.Vfs.Metadata;

/// <summary>
/// Optional backend capability: the backend stores <see cref="ObjectMetadata"/> with the object
/// itself (object stores with user metadata headers). When a backend implements it, the Vfs calls
/// it instead of keeping sidecar records, and expects copy, move and delete to carry or drop the
/// metadata together with the object.
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
