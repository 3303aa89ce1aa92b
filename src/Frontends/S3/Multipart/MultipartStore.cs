using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3.Multipart;

/// <summary>
/// Stages multipart uploads on local disk (never in memory): Root/{uploadId}/upload.json plus one
/// file per part with a small JSON sidecar. A part is written to a temporary file and renamed into
/// place, so a re-uploaded part replaces the old one atomically. Upload ids are 32 random hex
/// digits and are checked before they touch a path.
/// </summary>
internal sealed class MultipartStore(string root, TimeSpan expiry, TimeProvider time)
{
    private const string UploadFile = "upload.json";

    public string Root { get; } = root;

    public void Initialize() => Directory.CreateDirectory(Root);

    public static bool IsValidUploadId(string? id) =>
        id is { Length: 32 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public async Task<StagedUpload> CreateAsync(string bucket, string key, ObjectMetadata metadata, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var upload = new StagedUpload(
            id,
            bucket,
            key,
            time.GetUtcNow(),
            metadata.ContentType,
            new(metadata.UserMetadata, StringComparer.OrdinalIgnoreCase),
            new(metadata.Headers, StringComparer.OrdinalIgnoreCase),
            metadata.StorageClass,
            metadata.Tags.Count > 0 ? new(metadata.Tags, StringComparer.Ordinal) : null,
            metadata.Checksums.Count > 0 ? new(metadata.Checksums, StringComparer.Ordinal) : null);
        var dir = Path.Combine(Root, id);
        Directory.CreateDirectory(dir);
        await WriteJsonAsync(Path.Combine(dir, UploadFile), upload, MultipartJsonContext.Default.StagedUpload, ct).ConfigureAwait(false);
        return upload;
    }

    /// <summary>The upload, or null when the id is unknown, malformed or already completed/aborted.</summary>
    public async Task<StagedUpload?> GetAsync(string? uploadId, CancellationToken ct)
    {
        if (!IsValidUploadId(uploadId))
        {
            return null;
        }

        try
        {
            return await ReadJsonAsync(Path.Combine(Root, uploadId!, UploadFile), MultipartJsonContext.Default.StagedUpload, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Streams a part to disk, hashing it on the way; returns the staged part (with <paramref name="checksum"/>'s answer once the content is read).</summary>
    public async Task<StagedPart> StagePartAsync(string uploadId, int partNumber, Stream content, Func<string?>? checksum, CancellationToken ct)
    {
        var dir = Path.Combine(Root, uploadId);
        var final = PartPath(uploadId, partNumber);
        var temp = final + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp";
        try
        {
            long size;
            byte[] md5;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
            {
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    size = await StreamCopier.CopyAsync(content, file, null, hash, ct).ConfigureAwait(false);
                }

                md5 = hash.GetHashAndReset();
            }

            if (!Directory.Exists(dir))
            {
                throw new S3Exception(S3Error.NoSuchUpload);
            }

            var part = new StagedPart(partNumber, Convert.ToHexStringLower(md5), size, time.GetUtcNow(), checksum?.Invoke());
            File.Move(temp, final, overwrite: true);
            await WriteJsonAsync(final + ".json", part, MultipartJsonContext.Default.StagedPart, ct).ConfigureAwait(false);
            return part;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // Completed or aborted while this part was arriving.
            throw new S3Exception(S3Error.NoSuchUpload, S3Error.NoSuchUpload.Message, e);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<List<StagedPart>> ListPartsAsync(string uploadId, CancellationToken ct)
    {
        var parts = new List<StagedPart>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, uploadId), "*.part.json"))
        {
            try
            {
                var part = await ReadJsonAsync(file, MultipartJsonContext.Default.StagedPart, ct).ConfigureAwait(false);
                if (part is not null)
                {
                    parts.Add(part);
                }
            }
            catch (Exception e) when (e is FileNotFoundException or JsonException)
            {
                // Being replaced right now; the next listing sees the new part.
            }
        }

        parts.Sort((a, b) => a.PartNumber.CompareTo(b.PartNumber));
        return parts;
    }

    public FileStream OpenPart(string uploadId, int partNumber) =>
        new(PartPath(uploadId, partNumber), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Delete(string uploadId)
    {
        var dir = Path.Combine(Root, uploadId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public async Task<List<StagedUpload>> ListUploadsAsync(CancellationToken ct)
    {
        var uploads = new List<StagedUpload>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            if (await GetAsync(Path.GetFileName(dir), ct).ConfigureAwait(false) is { } upload)
            {
                uploads.Add(upload);
            }
        }

        return uploads;
    }

    /// <summary>Removes uploads initiated longer than the expiry ago; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken ct)
    {
        var removed = 0;
        var cutoff = time.GetUtcNow() - expiry;
        foreach (var upload in await ListUploadsAsync(ct).ConfigureAwait(false))
        {
            if (upload.Initiated < cutoff)
            {
                Delete(upload.UploadId);
                removed++;
            }
        }

        return removed;
    }

    private string PartPath(string uploadId, int partNumber) =>
        Path.Combine(Root, uploadId, partNumber.ToString("00000", CultureInfo.InvariantCulture) + ".part");

    private static async Task WriteJsonAsync<T>(string path, T value, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var temp = path + ".tmp" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, value, type, ct).ConfigureAwait(false);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static async Task<T?> ReadJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, type, ct).ConfigureAwait(false);
        }
    }
}
