using System.Runtime.CompilerServices;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// Multipart uploads staged by the backend (<see cref="VirtualFileSystem.Multipart"/>): nothing lives
/// in this process, so a part sent to one gateway instance and the Complete sent to another work.
/// The backend's NotFound for an upload is NoSuchUpload, its Invalid at Complete is InvalidPart.
/// <para>
/// Looking an upload up can cost a request to the storage (S3 has no "get upload", only a listing),
/// so the uploads this instance began or found are remembered for parts (<see cref="FindForPartAsync"/>):
/// a part of an upload completed or aborted elsewhere meanwhile is refused by the backend itself.
/// Everything else (ListParts, Complete, Abort) asks the backend every time.
/// </para>
/// </summary>
internal sealed class BackendMultipartUploads(IMultipartUploads backend, TimeProvider time) : IS3MultipartUploads
{
    /// <summary>Uploads of this key this instance began or found, refreshed by every part; an upload idle longer is looked up again.</summary>
    private readonly RecentMap<(string UploadId, VfsPath Path), MultipartUpload> _known = new(time, TimeSpan.FromMinutes(10), capacity: 10_000);

    /// <summary>The capability's Complete takes no condition: conditional Completes are checked before (not atomic).</summary>
    public bool CompleteTakesCondition => false;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var upload = await backend.BeginAsync(path, metadata, cancellationToken).ConfigureAwait(false);
        _known.Set((upload.UploadId, path), upload);
        return upload;
    }

    public async ValueTask<MultipartUpload?> FindAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(uploadId))
        {
            return null;
        }

        try
        {
            var upload = await backend.GetUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
            _known.Set((uploadId, path), upload);
            return upload;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.Invalid)
        {
            _known.Remove((uploadId, path));
            return null;
        }
    }

    public ValueTask<MultipartUpload?> FindForPartAsync(VfsPath path, string? uploadId, CancellationToken cancellationToken) =>
        uploadId is not null && _known.TryGet((uploadId, path), out var upload)
            ? ValueTask.FromResult<MultipartUpload?>(upload)
            : FindAsync(path, uploadId, cancellationToken);

    public async ValueTask<UploadedPart> PutPartAsync(MultipartUpload upload, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken)
    {
        try
        {
            var part = await backend.PutPartAsync(upload.Path, upload.UploadId, partNumber, content, length, checksum, cancellationToken).ConfigureAwait(false);
            _known.Set((upload.UploadId, upload.Path), upload);
            return part;
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            // Completed or aborted (by any instance) before or while this part was arriving.
            _known.Remove((upload.UploadId, upload.Path));
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
            var entry = await backend.CompleteAsync(upload.Path, upload.UploadId, parts, metadata, cancellationToken).ConfigureAwait(false);
            _known.Remove((upload.UploadId, upload.Path));
            return entry;
        }
        catch (VfsException e) when (e.Kind == VfsErrorKind.NotFound)
        {
            _known.Remove((upload.UploadId, upload.Path));
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
        // Forgotten first: a part racing the Abort must not be let through on this instance's memory.
        _known.Remove((upload.UploadId, upload.Path));
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
