using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// The multipart uploads this instance completed recently (upload id and key → the object's ETag),
/// so that a CompleteMultipartUpload retried after its answer was lost gets the same 200 instead of
/// NoSuchUpload, as AWS keeps completed uploads resolvable for a while. Bounded in time and count;
/// other instances (and this one after a restart) fall back to the object's stored ETag.
/// </summary>
internal sealed class CompletedUploads(TimeProvider time)
{
    /// <summary>How long a completed upload stays resolvable.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly RecentMap<(string UploadId, VfsPath Path), string> _done = new(time, Lifetime, capacity: 10_000);

    public void Add(string uploadId, VfsPath path, string etag) => _done.Set((uploadId, path), etag);

    /// <summary>The ETag the upload completed with, while it is recent.</summary>
    public string? Find(string? uploadId, VfsPath path) =>
        uploadId is not null && _done.TryGet((uploadId, path), out var etag) ? etag : null;
}
