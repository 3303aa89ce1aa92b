using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs.Multipart;

/// <summary>An upload in progress as the backend keeps it.</summary>
/// <param name="UploadId">The backend's opaque id.</param>
/// <param name="Path">The object the upload will create.</param>
/// <param name="Initiated">When it was begun (UTC).</param>
/// <param name="Metadata">The metadata given at Begin.</param>
public sealed record MultipartUpload(string UploadId, VfsPath Path, DateTimeOffset Initiated, ObjectMetadata Metadata);
