using System.Globalization;
using System.Xml;
using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs.Multipart;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>ListParts and ListMultipartUploads.</summary>
internal sealed partial class MultipartHandlers
{
    public async Task ListPartsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        var upload = await RequireUploadAsync(r).ConfigureAwait(false);
        var maxParts = IntQuery(r, "max-parts", 1000, 1000);
        var marker = IntQuery(r, "part-number-marker", 0, int.MaxValue);
        // One page plus one part, to know whether the listing is truncated.
        var page = new List<UploadedPart>(Math.Min(maxParts, 64) + 1);
        await foreach (var part in c.Uploads.ListPartsAsync(upload, ct).ConfigureAwait(false))
        {
            if (part.PartNumber > marker && page.Count <= maxParts)
            {
                page.Add(part);
            }
        }

        var truncated = page.Count > maxParts;
        if (truncated)
        {
            page.RemoveAt(page.Count - 1);
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "ListPartsResult").ConfigureAwait(false);
        await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
        await w.ElementAsync("UploadId", upload.UploadId).ConfigureAwait(false);
        await S3Xml.OwnerAsync(w, "Initiator").ConfigureAwait(false);
        await S3Xml.OwnerAsync(w).ConfigureAwait(false);
        await w.ElementAsync("StorageClass", S3StorageClasses.Of(upload.Metadata)).ConfigureAwait(false);
        var mode = S3Checksums.ModeOf(upload.Metadata);
        if (mode is { } m)
        {
            await w.ElementAsync("ChecksumAlgorithm", S3Checksums.NameOf(m.Algorithm)).ConfigureAwait(false);
            await w.ElementAsync("ChecksumType", m.Type).ConfigureAwait(false);
        }

        await w.ElementAsync("PartNumberMarker", marker).ConfigureAwait(false);
        if (page.Count > 0)
        {
            await w.ElementAsync("NextPartNumberMarker", page[^1].PartNumber).ConfigureAwait(false);
        }

        await w.ElementAsync("MaxParts", maxParts).ConfigureAwait(false);
        await w.ElementAsync("IsTruncated", truncated).ConfigureAwait(false);
        foreach (var part in page)
        {
            await w.WriteStartElementAsync(null, "Part", null).ConfigureAwait(false);
            await w.ElementAsync("PartNumber", part.PartNumber).ConfigureAwait(false);
            await w.ElementAsync("LastModified", part.LastModified).ConfigureAwait(false);
            await w.ElementAsync("ETag", part.ETag).ConfigureAwait(false);
            await w.ElementAsync("Size", part.Size).ConfigureAwait(false);
            if (mode is { } pm && part.Checksum is { } checksum)
            {
                await w.ElementAsync(S3Checksums.ElementOf(pm.Algorithm), checksum).ConfigureAwait(false);
            }

            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    public async Task ListMultipartUploadsAsync(S3Request r)
    {
        var ct = r.Context.RequestAborted;
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var prefix = r.Query("prefix") ?? string.Empty;
        var delimiter = r.Query("delimiter") is { Length: > 0 } d ? d : null;
        var keyMarker = r.Query("key-marker") ?? string.Empty;
        var uploadIdMarker = r.Query("upload-id-marker") ?? string.Empty;
        var maxUploads = IntQuery(r, "max-uploads", 1000, 1000);

        var inBucket = new List<KeyedUpload>();
        await foreach (var upload in c.Uploads.ListUploadsAsync(r.BucketPath, ct).ConfigureAwait(false))
        {
            inBucket.Add(new(upload.Path.RelativeTo(r.BucketPath).Value, upload.UploadId, upload.Initiated) { Metadata = upload.Metadata });
        }

        var all = inBucket
            .Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Where(u => keyMarker.Length == 0 || Utf8Order.CompareKeys(u.Key, keyMarker) > 0 ||
                        (u.Key == keyMarker && uploadIdMarker.Length > 0 && string.CompareOrdinal(u.UploadId, uploadIdMarker) > 0))
            .OrderBy(u => u.Key, Utf8Order.Instance).ThenBy(u => u.Initiated).ThenBy(u => u.UploadId, StringComparer.Ordinal)
            .ToList();

        var uploads = new List<KeyedUpload>();
        var prefixes = new List<string>();
        var truncated = false;
        KeyedUpload? lastUpload = null;
        foreach (var upload in all)
        {
            var i = delimiter is null ? -1 : upload.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var common = i < 0 ? null : upload.Key[..(i + delimiter!.Length)];
            if (common is not null && prefixes.Count > 0 && prefixes[^1] == common)
            {
                continue;
            }

            if (uploads.Count + prefixes.Count == maxUploads)
            {
                truncated = true;
                break;
            }

            if (common is not null)
            {
                prefixes.Add(common);
            }
            else
            {
                uploads.Add(upload);
            }

            lastUpload = upload;
        }

        var w = await S3Xml.StartAsync(r.Context.Response, "ListMultipartUploadsResult").ConfigureAwait(false);
        await w.ElementAsync("Bucket", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("KeyMarker", keyMarker).ConfigureAwait(false);
        await w.ElementAsync("UploadIdMarker", uploadIdMarker).ConfigureAwait(false);
        if (truncated && lastUpload is not null)
        {
            await w.ElementAsync("NextKeyMarker", lastUpload.Key).ConfigureAwait(false);
            await w.ElementAsync("NextUploadIdMarker", lastUpload.UploadId).ConfigureAwait(false);
        }

        await w.ElementAsync("Prefix", prefix).ConfigureAwait(false);
        if (delimiter is not null)
        {
            await w.ElementAsync("Delimiter", delimiter).ConfigureAwait(false);
        }

        await w.ElementAsync("MaxUploads", maxUploads).ConfigureAwait(false);
        await w.ElementAsync("IsTruncated", truncated).ConfigureAwait(false);
        foreach (var upload in uploads)
        {
            await WriteUploadAsync(w, upload).ConfigureAwait(false);
        }

        foreach (var common in prefixes)
        {
            await w.WriteStartElementAsync(null, "CommonPrefixes", null).ConfigureAwait(false);
            await w.ElementAsync("Prefix", common).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private static async Task WriteUploadAsync(XmlWriter w, KeyedUpload upload)
    {
        await w.WriteStartElementAsync(null, "Upload", null).ConfigureAwait(false);
        await w.ElementAsync("Key", upload.Key).ConfigureAwait(false);
        await w.ElementAsync("UploadId", upload.UploadId).ConfigureAwait(false);
        await S3Xml.OwnerAsync(w, "Initiator").ConfigureAwait(false);
        await S3Xml.OwnerAsync(w).ConfigureAwait(false);
        await w.ElementAsync("StorageClass", S3StorageClasses.Of(upload.Metadata)).ConfigureAwait(false);
        await w.ElementAsync("Initiated", upload.Initiated).ConfigureAwait(false);
        if (upload.Metadata is { } meta && S3Checksums.ModeOf(meta) is { } mode)
        {
            await w.ElementAsync("ChecksumAlgorithm", S3Checksums.NameOf(mode.Algorithm)).ConfigureAwait(false);
            await w.ElementAsync("ChecksumType", mode.Type).ConfigureAwait(false);
        }

        await w.WriteEndElementAsync().ConfigureAwait(false);
    }

    private static int IntQuery(S3Request r, string name, int fallback, int max)
    {
        if (r.Query(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Math.Min(value, max)
            : throw new S3Exception(S3Error.InvalidArgument, $"Provided {name} not an integer or within integer range");
    }

    /// <summary>An upload in progress as ListMultipartUploads shows it: by key inside the bucket.</summary>
    private sealed record KeyedUpload(string Key, string UploadId, DateTimeOffset Initiated)
    {
        /// <summary>Begin's metadata: the storage class and checksum mode the listing shows.</summary>
        public Vfs.Metadata.ObjectMetadata? Metadata { get; init; }
    }
}
