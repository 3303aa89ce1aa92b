using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Native metadata: content type and the stored HTTP headers as the blob's own properties, user
/// metadata as x-ms-meta-* (names and values Azure refuses encoded reversibly, AzureBlobNames),
/// and the rest under reserved "gw…" names: the S3 ETag when it is not the MD5, Expires, checksums,
/// and the modification time a writer set.
/// </summary>
internal sealed partial class AzureBlobBackend : IMetadataStorage
{
    private const string ETagName = "gwetag";
    private const string ExpiresName = "gwexpires";
    private const string ModTimeName = "gwmtime";
    private const string ChecksumPrefix = "gwck_";

    /// <summary>Set when the writer declared no content type: Azure then stores application/octet-stream, which is not the writer's.</summary>
    private const string NoContentTypeName = "gwnoct";
    private const int ListedCacheLimit = 20_000;

    /// <summary>
    /// What listings already returned (properties and metadata of each blob), by blob name and ETag,
    /// so that an S3 listing does not cost one Get Blob Properties per key. Keyed by ETag, an entry
    /// only ever describes the exact version it came from.
    /// </summary>
    private readonly ConcurrentDictionary<string, (string ETag, ObjectMetadata? Metadata)> _listed = new(StringComparer.Ordinal);

    public async ValueTask<ObjectMetadata?> GetMetadataAsync(Entry file, CancellationToken cancellationToken)
    {
        var blob = BlobOf(file.Path, forWrite: false);
        if (file.ETag is { } wanted && _listed.TryGetValue(BlobName(blob), out var known) && known.ETag == wanted)
        {
            return known.Metadata;
        }

        BlobProperties properties;
        try
        {
            properties = await StatFileAsync(blob, file.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            // Gone (or never a blob: a prefix): no metadata is an absence, not an error.
            return null;
        }

        if (file.ETag is { } etag && etag != Unquote(properties.ETag))
        {
            // Another version than the one asked about: its metadata is not this version's.
            return null;
        }

        var metadata = FromAzure(properties.ContentType, properties.ContentHash, properties.CacheControl, properties.ContentDisposition, properties.ContentEncoding, properties.ContentLanguage, properties.Metadata);
        Remember(BlobName(blob), Unquote(properties.ETag), metadata);
        return metadata;
    }

    public async ValueTask SetMetadataAsync(Entry file, ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var blob = BlobOf(file.Path, forWrite: true);
        var properties = await StatFileAsync(blob, file.Path, cancellationToken).ConfigureAwait(false);
        var etag = properties.ETag;
        if (file.ETag is { } wanted && wanted != Unquote(etag))
        {
            throw new VfsException(VfsErrorKind.PreconditionFailed, $"'{file.Path}' changed before its metadata could be stored", file.Path.Value);
        }

        var modTime = properties.Metadata.TryGetValue(ModTimeName, out var m) ? m : null;
        try
        {
            var declared = metadata.ContentType ?? DeclaredContentType(properties.ContentType, properties.Metadata);
            var headers = ToHeaders(metadata, declared ?? properties.ContentType, properties.ContentHash);
            var set = await blob.SetHttpHeadersAsync(headers, new BlobRequestConditions { IfMatch = etag }, cancellationToken).ConfigureAwait(false);
            var values = ToAzureMetadata(metadata, null, properties.ContentHash, declared);
            if (modTime is not null)
            {
                values[ModTimeName] = modTime;
            }

            await blob.SetMetadataAsync(values, new BlobRequestConditions { IfMatch = set.Value.ETag }, cancellationToken).ConfigureAwait(false);
            ForgetListed(BlobName(blob));
        }
        catch (Exception e) when (AzureBlobErrors.IsMappable(e))
        {
            throw AzureBlobErrors.Map(e, file.Path.Value);
        }
    }

    /// <summary>The entry of a listed blob, remembering its metadata for <see cref="GetMetadataAsync"/>.</summary>
    private Entry RememberListed(VfsPath path, BlobItem item)
    {
        var p = item.Properties;
        var etag = p.ETag is { } e ? Unquote(e) : null;
        if (etag is not null)
        {
            Remember(item.Name, etag, FromAzure(p.ContentType, p.ContentHash, p.CacheControl, p.ContentDisposition, p.ContentEncoding, p.ContentLanguage, item.Metadata));
        }

        return Entry.File(path, p.ContentLength ?? 0, ModTimeOf(item.Metadata, p.LastModified ?? DateTimeOffset.UnixEpoch), etag, DeclaredContentType(p.ContentType, item.Metadata));
    }

    private void Remember(string blobName, string etag, ObjectMetadata? metadata)
    {
        if (_listed.Count >= ListedCacheLimit)
        {
            _listed.Clear();
        }

        _listed[blobName] = (etag, metadata);
    }

    private void ForgetListed(string blobName) => _listed.TryRemove(blobName, out _);

    /// <summary>The content type the writer declared: null when Azure filled in its default.</summary>
    private static string? DeclaredContentType(string? contentType, IDictionary<string, string>? metadata) =>
        metadata is not null && metadata.ContainsKey(NoContentTypeName) ? null : contentType;

    /// <summary>The modification time a writer set (gwmtime), else Azure's Last-Modified.</summary>
    private static DateTimeOffset ModTimeOf(IDictionary<string, string>? metadata, DateTimeOffset lastModified) =>
        metadata is not null && metadata.TryGetValue(ModTimeName, out var text) &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var modTime)
            ? modTime.ToUniversalTime()
            : lastModified.ToUniversalTime();

    /// <summary>The blob's HTTP properties for <paramref name="metadata"/>; Content-MD5 is the whole content's when known.</summary>
    private static BlobHttpHeaders ToHeaders(ObjectMetadata? metadata, string? contentType, byte[]? md5)
    {
        var headers = metadata?.Headers ?? new Dictionary<string, string>();
        return new BlobHttpHeaders
        {
            ContentType = contentType,
            ContentHash = md5,
            CacheControl = headers.GetValueOrDefault("Cache-Control"),
            ContentDisposition = headers.GetValueOrDefault("Content-Disposition"),
            ContentEncoding = headers.GetValueOrDefault("Content-Encoding"),
            ContentLanguage = headers.GetValueOrDefault("Content-Language"),
        };
    }

    /// <summary>The x-ms-meta-* set for <paramref name="metadata"/> and a writer's modification time.</summary>
    private static Dictionary<string, string> ToAzureMetadata(ObjectMetadata? metadata, DateTimeOffset? modTime, byte[]? md5 = null, string? contentType = null)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if ((contentType ?? metadata?.ContentType) is null)
        {
            values[NoContentTypeName] = "1";
        }

        if (metadata is not null)
        {
            foreach (var (name, value) in metadata.UserMetadata)
            {
                var (n, v) = AzureBlobNames.EncodeUserMetadata(name, value);
                values[n] = v;
            }

            // The S3 ETag of a single put is the quoted MD5, which the blob's Content-MD5 already holds.
            if (metadata.ETag is { } etag && (md5 is null || etag.Trim('"') != Convert.ToHexStringLower(md5)))
            {
                values[ETagName] = etag;
            }

            if (metadata.Headers.TryGetValue("Expires", out var expires))
            {
                values[ExpiresName] = expires;
            }

            foreach (var (name, value) in metadata.Checksums)
            {
                var (n, v) = AzureBlobNames.EncodeUserMetadata(name, value);
                values[ChecksumPrefix + n] = v;
            }
        }

        if (modTime is { } t)
        {
            values[ModTimeName] = t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static ObjectMetadata? FromAzure(
        string? contentType, byte[]? md5, string? cacheControl, string? contentDisposition, string? contentEncoding, string? contentLanguage, IDictionary<string, string>? values)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(headers, "Cache-Control", cacheControl);
        Add(headers, "Content-Disposition", contentDisposition);
        Add(headers, "Content-Encoding", contentEncoding);
        Add(headers, "Content-Language", contentLanguage);
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        var checksums = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? etag = null;
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            var lower = name.ToLowerInvariant();
            if (lower == NoContentTypeName)
            {
                contentType = null;
            }
            else if (lower == ETagName)
            {
                etag = value;
            }
            else if (lower == ExpiresName)
            {
                headers["Expires"] = value;
            }
            else if (lower.StartsWith(ChecksumPrefix, StringComparison.Ordinal))
            {
                if (AzureBlobNames.DecodeUserMetadata(name[ChecksumPrefix.Length..], value) is { } c)
                {
                    checksums[c.Name] = c.Value;
                }
            }
            else if (AzureBlobNames.DecodeUserMetadata(name, value) is { } u)
            {
                user[u.Name] = u.Value;
            }
        }

        etag ??= md5 is { Length: 16 } ? "\"" + Convert.ToHexStringLower(md5) + "\"" : null;
        var metadata = new ObjectMetadata
        {
            ContentType = contentType,
            Headers = headers,
            UserMetadata = user,
            ETag = etag,
            Checksums = checksums,
        };
        return metadata.IsEmpty ? null : metadata;
    }

    private static void Add(Dictionary<string, string> headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[name] = value;
        }
    }

    /// <summary>Azure's ETag of the version a frontend's If-Match names: its own tag, the stored S3 ETag or the MD5.</summary>
    private static ETag? MatchingVersion(BlobProperties properties, string shown)
    {
        var wanted = shown.Trim().Trim('"');
        var own = Unquote(properties.ETag);
        var s3 = properties.Metadata.TryGetValue(ETagName, out var e) ? e.Trim('"') : null;
        var md5 = properties.ContentHash is { Length: 16 } h ? Convert.ToHexStringLower(h) : null;
        return wanted == own || wanted == s3 || string.Equals(wanted, md5, StringComparison.OrdinalIgnoreCase) || wanted == "*"
            ? properties.ETag
            : null;
    }
}
