using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// The multipart uploads the S3 handlers use, one code path over two stores: the backend's own
/// (<see cref="BackendMultipartUploads"/>: any gateway instance sharing the backend can serve any
/// call) or parts staged on this instance's disk (<see cref="LocalMultipartUploads"/>, the fallback).
/// Unknown, finished or foreign upload ids are <see cref="S3Error.NoSuchUpload"/>.
/// </summary>
internal interface IS3MultipartUploads
{
    /// <summary>Whether <see cref="CompleteAsync"/> checks its <see cref="PutCondition"/> atomically with the write (else the caller checks before).</summary>
    bool CompleteTakesCondition { get; }

    /// <summary>Prepares the store (local staging: the directory, expired uploads); a failure is a startup error.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken);

    /// <summary>The upload, or null when the id is unknown, finished or belongs to another key.</summary>
    ValueTask<MultipartUpload?> FindAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="FindAsync"/> for a part about to be stored: may answer from what this instance saw of
    /// the upload recently (begun or found here for this very key), since <see cref="PutPartAsync"/>
    /// itself fails with NoSuchUpload when the upload has been completed or aborted meanwhile.
    /// </summary>
    ValueTask<MultipartUpload?> FindForPartAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a part (replacing an earlier one of the same number); the ETag is the part's quoted MD5.
    /// <paramref name="checksum"/>, called once the content is read, gives the part's additional checksum to keep.
    /// </summary>
    ValueTask<UploadedPart> PutPartAsync(MultipartUpload upload, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken);

    /// <summary>The staged parts in ascending part number order.</summary>
    IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartUpload upload, CancellationToken cancellationToken);

    /// <summary>The uploads in progress in a bucket, in any order.</summary>
    IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath bucket, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the named parts (already checked by the caller against <see cref="ListPartsAsync"/>) as one
    /// object of <paramref name="length"/> bytes with <paramref name="metadata"/> (Begin's plus the
    /// multipart ETag); the upload is gone afterwards. Invalid parts are <see cref="S3Error.InvalidPart"/>.
    /// </summary>
    ValueTask<Entry> CompleteAsync(MultipartUpload upload, IReadOnlyList<CompletedPart> parts, long length, ObjectMetadata metadata, PutCondition? condition, CancellationToken cancellationToken);

    ValueTask AbortAsync(MultipartUpload upload, CancellationToken cancellationToken);
}
