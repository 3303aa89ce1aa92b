using System.Buffers.Text;
using System.Security.Cryptography;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Backends.Memory;

/// <summary>
/// The reference <see cref="IMultipartUploads"/>: uploads and their parts live in the backend's store
/// next to the files, so every Vfs (gateway) over this backend sees the same uploads. Parts are
/// immutable files; Complete copies the named parts into a new file and swaps it in like a put.
/// The memory backend keeps no object metadata: the Vfs writes Begin's metadata as a sidecar record.
/// </summary>
internal sealed partial class MemoryBackend : IMultipartUploads
{
    private const int MaxPartNumber = 10_000;

    public ValueTask<MultipartUpload> BeginAsync(VfsPath path, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        Enter("mpbegin", path, cancellationToken);
        if (path.IsRoot)
        {
            throw new VfsException(VfsErrorKind.Invalid, "cannot write to the root");
        }

        // 18 random bytes: 24 URL-safe characters, unguessable like an S3 upload id.
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
        lock (_lock)
        {
            var upload = new MemoryUpload(id, path, DateTimeOffset.UtcNow, ++_uploadSequence, metadata);
            _uploads.Add(id, upload);
            return ValueTask.FromResult(upload.ToUpload());
        }
    }

    public ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, CancellationToken cancellationToken) =>
        PutPartAsync(path, uploadId, partNumber, content, length, null, cancellationToken);

    public async ValueTask<UploadedPart> PutPartAsync(VfsPath path, string uploadId, int partNumber, Stream content, long? length, Func<string?>? checksum, CancellationToken cancellationToken)
    {
        Enter("mpput", path, cancellationToken);
        if (partNumber is < 1 or > MaxPartNumber)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"part number {partNumber} is not between 1 and {MaxPartNumber}", path.Value);
        }

        lock (_lock)
        {
            _ = GetUpload(path, uploadId);
        }

        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var chunks = await ReadChunksAsync(content, length, md5, cancellationToken).ConfigureAwait(false);
        var etag = "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "\"";
        var part = new MemoryFile(chunks.Build(), chunks.Length, DateTimeOffset.UtcNow, etag, contentType: null);
        var partChecksum = checksum?.Invoke();
        lock (_lock)
        {
            // Looked up again: the upload may have been completed or aborted while the part streamed in.
            var upload = GetUpload(path, uploadId);
            upload.Parts[partNumber] = part;
            if (partChecksum is null)
            {
                upload.PartChecksums.Remove(partNumber);
            }
            else
            {
                upload.PartChecksums[partNumber] = partChecksum;
            }
        }

        return MemoryUpload.ToPart(partNumber, part) with { Checksum = partChecksum };
    }

    public ValueTask<MultipartUpload> GetUploadAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        Enter("mpget", path, cancellationToken);
        lock (_lock)
        {
            return ValueTask.FromResult(GetUpload(path, uploadId).ToUpload());
        }
    }

    public IAsyncEnumerable<UploadedPart> ListPartsAsync(VfsPath path, string uploadId, CancellationToken cancellationToken) =>
        ListPartsSnapshot(path, uploadId, cancellationToken).ToAsyncEnumerable();

    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(VfsPath dir, CancellationToken cancellationToken) =>
        ListUploadsSnapshot(dir, cancellationToken).ToAsyncEnumerable();

    public ValueTask<Entry> CompleteAsync(VfsPath path, string uploadId, IReadOnlyList<CompletedPart> parts, ObjectMetadata? metadata, CancellationToken cancellationToken)
    {
        Enter("mpcomplete", path, cancellationToken);
        MemoryUpload upload;
        IReadOnlyList<MemoryFile> named;
        lock (_lock)
        {
            upload = GetUpload(path, uploadId);
            named = SelectParts(upload, parts);

            // Fail before copying when the target can never be written.
            CheckFileTarget(path);
        }

        // Parts are immutable, so the copy runs outside the lock; their chunk boundaries differ from
        // the object's, hence a copy rather than sharing the chunks.
        var chunks = new MemoryChunkBuilder();
        foreach (var part in named)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var chunk in part.Chunks)
            {
                chunks.Append(chunk);
            }
        }

        var file = new MemoryFile(chunks.Build(), chunks.Length, DateTimeOffset.UtcNow, NextETag(), upload.Metadata.ContentType, metadata?.ETag);
        lock (_lock)
        {
            // A concurrent Complete or Abort may have won meanwhile, or a named part been replaced:
            // checking again keeps the result exactly what the part list names (equal ETags, equal bytes).
            _ = SelectParts(GetUpload(path, uploadId), parts);
            CheckFileTarget(path);
            EnsureDirectory(path.Parent, create: true)!.Children[path.Name] = file;
            _uploads.Remove(uploadId);
        }

        return ValueTask.FromResult(ToEntry(path, file));
    }

    public ValueTask AbortAsync(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        Enter("mpabort", path, cancellationToken);
        lock (_lock)
        {
            _ = GetUpload(path, uploadId);
            _uploads.Remove(uploadId);
        }

        return ValueTask.CompletedTask;
    }

    private UploadedPart[] ListPartsSnapshot(VfsPath path, string uploadId, CancellationToken cancellationToken)
    {
        Enter("mplistparts", path, cancellationToken);
        UploadedPart[] parts;
        lock (_lock)
        {
            var upload = GetUpload(path, uploadId);
            parts = [.. upload.Parts.Select(kv => MemoryUpload.ToPart(kv.Key, kv.Value) with { Checksum = upload.PartChecksums.GetValueOrDefault(kv.Key) })];
        }

        return parts;
    }

    private MultipartUpload[] ListUploadsSnapshot(VfsPath dir, CancellationToken cancellationToken)
    {
        Enter("mplistuploads", dir, cancellationToken);
        MultipartUpload[] uploads;
        lock (_lock)
        {
            uploads =
            [
                .. _uploads.Values
                    .Where(u => u.Path != dir && u.Path.IsUnder(dir))
                    .OrderBy(u => u.Path)
                    .ThenBy(u => u.Initiated)
                    .ThenBy(u => u.Sequence)
                    .Select(u => u.ToUpload()),
            ];
        }

        return uploads;
    }

    /// <summary>The upload <paramref name="uploadId"/> of <paramref name="path"/>; NotFound when unknown, finished or begun for another path. Under the lock.</summary>
    private MemoryUpload GetUpload(VfsPath path, string uploadId) =>
        _uploads.TryGetValue(uploadId, out var upload) && upload.Path == path
            ? upload
            : throw new VfsException(VfsErrorKind.NotFound, $"no upload '{uploadId}' in progress for '{path}'", path.Value);

    /// <summary>The staged parts a Complete names, in its order; Invalid when the list is empty, not ascending, or names a part that is missing or has another ETag. Under the lock.</summary>
    private static MemoryFile[] SelectParts(MemoryUpload upload, IReadOnlyList<CompletedPart> parts)
    {
        if (parts.Count == 0)
        {
            throw new VfsException(VfsErrorKind.Invalid, "a multipart upload needs at least one part", upload.Path.Value);
        }

        var selected = new MemoryFile[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var wanted = parts[i];
            if (i > 0 && wanted.PartNumber <= parts[i - 1].PartNumber)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"part {wanted.PartNumber} follows part {parts[i - 1].PartNumber}: parts must be in ascending order", upload.Path.Value);
            }

            if (!upload.Parts.TryGetValue(wanted.PartNumber, out var part) ||
                !string.Equals(part.ETag.Trim('"'), wanted.ETag.Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw new VfsException(VfsErrorKind.Invalid, $"part {wanted.PartNumber} was not uploaded or its ETag is not {wanted.ETag}", upload.Path.Value);
            }

            selected[i] = part;
        }

        return selected;
    }
}
