namespace VfsGateway.Vfs;

/// <summary>One file or directory as a backend reports it.</summary>
/// <param name="Path">The canonical path, relative to the remote's root.</param>
/// <param name="IsDirectory">True for a directory (or a prefix on a bucket-based backend).</param>
/// <param name="Size">Bytes; 0 for a directory.</param>
/// <param name="ModTime">Last modification time (UTC); for a directory it may be <see cref="DateTimeOffset.UnixEpoch"/> when unknown.</param>
/// <param name="ETag">The backend's opaque version tag, when it has one.</param>
/// <param name="ContentType">The stored content type, when the backend stores one natively.</param>
public sealed record Entry(VfsPath Path, bool IsDirectory, long Size, DateTimeOffset ModTime, string? ETag = null, string? ContentType = null)
{
    public string Name => Path.Name;

    public static Entry File(VfsPath path, long size, DateTimeOffset modTime, string? etag = null, string? contentType = null) =>
        new(path, false, size, modTime, etag, contentType);

    public static Entry Directory(VfsPath path, DateTimeOffset? modTime = null) =>
        new(path, true, 0, modTime ?? DateTimeOffset.UnixEpoch);
}
