using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Backends.Memory;

/// <summary>A multipart upload in progress, kept in the backend's store; guarded by the owning backend's lock.</summary>
/// <param name="Sequence">Begin order, to break ties between uploads initiated within the same clock tick.</param>
internal sealed class MemoryUpload(string id, VfsPath path, DateTimeOffset initiated, long sequence, ObjectMetadata metadata)
{
    public string Id { get; } = id;

    public VfsPath Path { get; } = path;

    public DateTimeOffset Initiated { get; } = initiated;

    public long Sequence { get; } = sequence;

    public ObjectMetadata Metadata { get; } = metadata;

    /// <summary>Staged parts by number; each an immutable file whose ETag is the part's quoted MD5 and whose ModTime is when it was stored.</summary>
    public SortedDictionary<int, MemoryFile> Parts { get; } = [];

    /// <summary>The additional checksum the frontend computed for a part, by part number (only parts that have one).</summary>
    public Dictionary<int, string> PartChecksums { get; } = [];

    public MultipartUpload ToUpload() => new(Id, Path, Initiated, Metadata);

    public static UploadedPart ToPart(int number, MemoryFile part) => new(number, part.ETag, part.Length, part.ModTime);
}
