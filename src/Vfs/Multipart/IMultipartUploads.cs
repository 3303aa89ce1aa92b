using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Vfs.Multipart;

/// <summary>
/// Optional backend capability: multipart uploads staged BY THE BACKEND (S3 native multipart, Azure
/// Put Block + Put Block List, the memory backend as the reference). Everything about an upload (its
/// id, its metadata, its parts) lives in the storage, never in one gateway process: a part sent to
/// one gateway instance and the Complete sent to another both work, and ListParts/ListUploads see
/// what any instance staged. Backends without it (local, sftp, ftp) leave it out; the S3 frontend
/// then stages parts on local disk and streams them into one put at Complete.
/// <para>
/// Errors: an unknown, completed or aborted upload id is <see cref="VfsErrorKind.NotFound"/> (S3
/// NoSuchUpload); a part list naming a part that was not uploaded or whose ETag differs is
/// <see cref="VfsErrorKind.Invalid"/> (S3 InvalidPart); parts out of order are the caller's to reject.
/// </para>
/// <para>
/// On a bucket-based backend a path may be a directory key ("dir/", <see cref="VfsPath.AsDirectoryKey"/>):
/// its uploads are its own (never those of "dir"), listed under that path, and Complete stores the object "dir/".
/// </para>
/// </summary>
public interface IMultipartUploads
{
    /// <summary>
    /// Starts an upload of <paramref name="path"/>. <paramref name="metadata"/> (content type, stored
    /// headers, user metadata) is kept with the upload and becomes the object's at Complete. The id
    /// is the backend's: opaque, URL-safe or not, at most 1024 characters; callers pass it back as is.
    /// The upload returned is described as <see cref="GetUploadAsync"/> describes it (callers may keep it).
    /// </summary>
    ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Stores part <paramref name="partNumber"/> (1…10000) of the upload from <paramref name="content"/>,
    /// reading exactly <paramref name="length"/> bytes when known, else to the end; a part uploaded
    /// again replaces the earlier one. The returned ETag is the quoted lower-case hex MD5 of the part
    /// (what S3 answers), computed by the backend while streaming if its storage does not give one.
    /// If the content stream throws, the exception propagates and the earlier part (if any) stays.
    /// </summary>
    ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="PutPartAsync(VfsPath, string, int, Stream, long?, CancellationToken)"/> that also keeps the
    /// part's additional checksum the frontend computes while streaming (S3 flexible checksums): the
    /// backend calls <paramref name="checksum"/> once the content has been read to its end and keeps the
    /// answer with the part, returned in <see cref="UploadedPart.Checksum"/> by this call and by
    /// <see cref="ListPartsAsync"/>. Backends that cannot keep it drop it (the default): their parts,
    /// and the objects made of them, have no checksum.
    /// </summary>
    ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken) =>
        PutPartAsync(path, uploadId, partNumber, content, length, cancellationToken);

    /// <summary>
    /// The upload <paramref name="uploadId"/> of <paramref name="path"/>; NotFound when unknown, completed,
    /// aborted, or begun for another path. Backends whose storage cannot return an upload's metadata
    /// (S3 native) answer with empty metadata.
    /// </summary>
    ValueTask<MultipartUpload> GetUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken);

    /// <summary>The parts staged so far, in ascending part number order.</summary>
    IAsyncEnumerable<UploadedPart> ListPartsAsync(VfsPath path, string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Every upload in progress whose path is below <paramref name="dir"/> (all depths; the root means
    /// all), in ascending path order, then by initiation time.
    /// </summary>
    IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath dir, CancellationToken cancellationToken);

    /// <summary>
    /// Assembles <paramref name="parts"/> (ascending, each naming a staged part and its ETag) into the
    /// object at <paramref name="path"/>, replacing an object there atomically: the object appears
    /// whole or not at all. The object gets the content type, headers and user metadata given at
    /// Begin; from <paramref name="metadata"/> (when given) it takes the ETag and the checksums the
    /// frontend computed (S3: the multipart ETag "md5-of-md5s-N" and composite checksums), which
    /// backends with native ETags/checksums may ignore for their own. Parts not named are discarded.
    /// After success the upload id is gone (NotFound).
    /// </summary>
    ValueTask<Entry> CompleteAsync(VfsPath path, string uploadId, IReadOnlyList<CompletedPart> parts, ObjectMetadata? metadata, CancellationToken cancellationToken);

    /// <summary>Discards the upload and its parts; an unknown id is <see cref="VfsErrorKind.NotFound"/>.</summary>
    ValueTask AbortAsync(VfsPath path, string uploadId, CancellationToken cancellationToken);
}
