using System.Runtime.CompilerServices;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// Multipart uploads staged by the backend (<see cref="VirtualFileSystem.Multipart"/>): nothing lives
/// in this process, so a part sent to one gateway instance and the Complete sent to another work.
/// The backend's NotFound for an upload is NoSuchUpload, its Invalid at Complete is InvalidPart.
/// </summary>
internal sealed class BackendMultipartUploads(IMultipartUploads backend) : IS3MultipartUploads
{
    /// <summary>The capability's Complete takes no condition: conditional Completes are checked before (not atomic).</summary>
    public bool CompleteTakesCondition => false;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken) =>
        backend.BeginAsync(path, metadata, cancellationToken);

    public async ValueTask<MultipartUpload?> FindAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(uploadId))
        {
            return null;
        }

        try
        {
            return await backend.GetUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.Invalid)
        {
            return null;
        }
    }

    public async ValueTask<UploadedPart> PutPartAsync(MultipartUpload upload, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken)
    {
        try
        {
            return await backend.PutPartAsync(upload.Path, upload.UploadId, partNumber, content, length, checksum, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            // Completed or aborted (by any instance) while this part was arriving.
            throw new S3Exception(S3Error.NoSuchUpload, S3Error.NoSuchUpload.Message, e);
        }
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartUpload upload, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parts = backend.ListPartsAsync(upload.Path, upload.UploadId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (parts.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await parts.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
                {
                    throw new S3Exception(S3Error.NoSuchUpload, S3Error.NoSuchUpload.Message, e);
                }

                yield return parts.Current;
            }
        }
    }

    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath bucket, CancellationToken cancellationToken) =>
        backend.ListUploadsAsync(bucket, cancellationToken);

    public async ValueTask<Entry> CompleteAsync(MultipartUpload upload, IReadOnlyList<CompletedPart> parts, long length, ObjectMetadata metadata, PutCondition? condition, CancellationToken cancellationToken)
    {
        try
        {
            return await backend.CompleteAsync(upload.Path, upload.UploadId, parts, metadata, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            throw new S3Exception(S3Error.NoSuchUpload, S3Error.NoSuchUpload.Message, e);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.Invalid)
        {
            // A part replaced or an upload changed by another instance since the caller's check.
            throw new S3Exception(S3Error.InvalidPart, S3Error.InvalidPart.Message, e);
        }
    }

    public async ValueTask AbortAsync(MultipartUpload upload, CancellationToken cancellationToken)
    {
        try
        {
            await backend.AbortAsync(upload.Path, upload.UploadId, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            throw new S3Exception(S3Error.NoSuchUpload, S3Error.NoSuchUpload.Message, e);
        }
    }
}
