using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs;

/// <summary>
/// What the VFS cache and the sidecar metadata store need from the Vfs (ARCHITECTURE: the cache
/// depends on a narrow writer interface, not on the Vfs class): the backend behind the Vfs's own
/// write path, retries and directory cache. <see cref="VirtualFileSystem"/> implements it explicitly.
/// </summary>
internal interface IVfsStorage
{
    /// <summary>The backend stores a put's metadata itself (<see cref="IMetadataStorage"/>): no separate <see cref="SetMetadataAsync"/> after a put.</summary>
    bool HasNativeMetadata { get; }

    /// <summary>Stores in the backend: through a temp name and a rename where a failed put can leave a partial object.</summary>
    ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken);

    /// <summary>Opens a backend file (optionally a byte range), transient failures retried.</summary>
    ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>Stores the metadata of a version that has just landed in the backend.</summary>
    ValueTask SetMetadataAsync(Entry stored, ObjectMetadata metadata, CancellationToken cancellationToken);

    /// <summary>Records a file that has just landed in the backend in the directory cache.</summary>
    void NoteWritten(Entry entry);
}
