using System.Runtime.CompilerServices;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Throttle;

namespace VfsGateway.Vfs.Multipart;

/// <summary>
/// The backend's multipart capability as frontends see it through the Vfs: the same calls, with the
/// Vfs's path rules (no reserved or temp names) and its directory cache kept current when an upload
/// completes into an object, and parts passing the --bwlimit upload bucket like every other upload.
/// </summary>
internal sealed class VfsMultipartUploads(VirtualFileSystem vfs, IMultipartUploads inner, TokenBucket? upload) : IMultipartUploads
{
    public ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        vfs.CheckWritable(path);
        return inner.BeginAsync(path, metadata, cancellationToken);
    }

    public ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, CancellationToken cancellationToken) =>
        PutPartAsync(path, uploadId, partNumber, content, length, null, cancellationToken);

    public async ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken)
    {
        if (upload is null)
        {
            return await inner.PutPartAsync(path, uploadId, partNumber, content, length, checksum, cancellationToken).ConfigureAwait(false);
        }

        // The caller owns the content stream; the wrapper must not close it.
        var throttled = new ThrottledReadStream(content, upload, leaveOpen: true);
        await using (throttled.ConfigureAwait(false))
        {
            return await inner.PutPartAsync(path, uploadId, partNumber, throttled, length, checksum, cancellationToken).ConfigureAwait(false);
        }
    }

    public IAsyncEnumerable<UploadedPart> ListPartsAsync(VfsPath path, string uploadId, CancellationToken cancellationToken) =>
        inner.ListPartsAsync(path, uploadId, cancellationToken);

    public async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath dir, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var upload in inner.ListUploadsAsync(dir, cancellationToken).ConfigureAwait(false))
        {
            yield return upload;
        }
    }

    public ValueTask<MultipartUpload> GetUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken) =>
        inner.GetUploadAsync(path, uploadId, cancellationToken);

    public async ValueTask<Entry> CompleteAsync(VfsPath path, string uploadId, IReadOnlyList<CompletedPart> parts, ObjectMetadata? metadata, CancellationToken cancellationToken)
    {
        vfs.CheckWritable(path);
        if (vfs.HasNativeMetadata)
        {
            var stored = await inner.CompleteAsync(path, uploadId, parts, metadata, cancellationToken).ConfigureAwait(false);
            vfs.NoteWritten(stored);
            return stored;
        }

        // The backend stages parts but keeps no object metadata: the Vfs writes the sidecar record
        // (Begin's metadata plus the frontend's ETag and checksums) for the version just completed.
        var upload = await inner.GetUploadAsync(path, uploadId, cancellationToken).ConfigureAwait(false);
        var entry = await inner.CompleteAsync(path, uploadId, parts, metadata, cancellationToken).ConfigureAwait(false);
        vfs.NoteWritten(entry);
        var merged = upload.Metadata with
        {
            ETag = metadata?.ETag ?? upload.Metadata.ETag,
            Checksums = metadata?.Checksums ?? upload.Metadata.Checksums,
        };
        if (!merged.IsEmpty)
        {
            await vfs.SetMetadataAsync(entry, merged, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    public ValueTask AbortAsync(VfsPath path, string uploadId, CancellationToken cancellationToken) =>
        inner.AbortAsync(path, uploadId, cancellationToken);
}
