namespace VfsGateway.Vfs;

/// <summary>
/// One storage system behind the gateway (rclone's Fs/Object, in C#). Paths are canonical and
/// relative to the backend's own root, which the backend prepends. Every expected failure is a
/// <see cref="VfsException"/>; nothing returns null for "missing". Optional abilities are the
/// capability interfaces (<see cref="IServerSideCopy"/>, <see cref="IServerSideMove"/>,
/// <see cref="IRecursiveList"/>, <see cref="IAbout"/>), discovered once into <see cref="Features"/>.
/// Bucket-based backends also take directory keys ("dir/", <see cref="VfsPath.AsDirectoryKey"/>) in
/// stat, read, put, delete, copy and multipart uploads: the object stored under that name; others never get one.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>What this backend can do and how the Vfs must treat it.</summary>
    BackendFeatures Features { get; }

    /// <summary>
    /// Lists the direct children of <paramref name="dir"/> in no particular order. Throws
    /// <see cref="VfsErrorKind.DirNotFound"/> when the directory does not exist (bucket-based
    /// backends: an empty prefix lists empty instead) and <see cref="VfsErrorKind.NotDirectory"/>
    /// when it is a file. A bucket-based backend lists an object "a" and a prefix "a/" as two
    /// entries of the same name, and the directory's own object "dir/", when there is one, as an
    /// entry whose path is <see cref="VfsPath.AsDirectoryKey"/> of <paramref name="dir"/> (empty
    /// name; never for the backend's root).
    /// </summary>
    IAsyncEnumerable<Entry> ListAsync(VfsPath dir, CancellationToken cancellationToken);

    /// <summary>Returns the file or directory at <paramref name="path"/>; throws <see cref="VfsErrorKind.NotFound"/>.</summary>
    ValueTask<Entry> StatAsync(VfsPath path, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file for reading, the whole of it or <paramref name="range"/> (clamped to the size:
    /// a range starting at or past the end yields an empty stream). Throws
    /// <see cref="VfsErrorKind.NotFound"/> or <see cref="VfsErrorKind.IsDirectory"/>.
    /// </summary>
    ValueTask<Stream> OpenReadAsync(VfsPath path, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>, replacing a file there and
    /// creating missing parent directories. Reads exactly <see cref="PutOptions.Length"/> bytes
    /// when it is known (fewer is an <see cref="VfsErrorKind.Invalid"/> error), otherwise to the
    /// end. If the content stream throws, the exception propagates unchanged. When
    /// <see cref="BackendFeatures.PartialUploads"/> is false a failed put leaves the previous
    /// object (or nothing) in place; when it is true a partial object may remain, so the Vfs
    /// writes to a temporary name and moves it. A successful put is durable (fsynced where the
    /// storage has such a notion) before it returns.
    /// </summary>
    ValueTask<Entry> PutAsync(VfsPath path, Stream content, PutOptions options, CancellationToken cancellationToken);

    /// <summary>Deletes a file; throws <see cref="VfsErrorKind.NotFound"/> or <see cref="VfsErrorKind.IsDirectory"/>.</summary>
    ValueTask DeleteAsync(VfsPath path, CancellationToken cancellationToken);

    /// <summary>Creates a directory and its parents; succeeds when it exists. A no-op on bucket-based backends without directories.</summary>
    ValueTask MkdirAsync(VfsPath dir, CancellationToken cancellationToken);

    /// <summary>Removes an empty directory; throws <see cref="VfsErrorKind.DirNotEmpty"/>, <see cref="VfsErrorKind.DirNotFound"/>.</summary>
    ValueTask RmdirAsync(VfsPath dir, CancellationToken cancellationToken);
}
