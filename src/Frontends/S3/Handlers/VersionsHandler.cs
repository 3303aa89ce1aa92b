using System.Globalization;
using System.Xml;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Xml;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>
/// Versioning as an unversioned bucket has it (issue 12): every object is its own only version,
/// "null", and the latest. ListObjectVersions lists the current objects that way (rclone
/// `--s3-versions`, s3fs, Cyberduck and test suites call it); PutBucketVersioning cannot enable
/// versioning (the storage behind the gateway keeps one copy of each object).
/// </summary>
internal sealed class VersionsHandler(S3Context c)
{
    private const int MaxKeysLimit = 1000;

    /// <summary>The version id every object has.</summary>
    public const string NullVersionId = "null";

    /// <summary>Any version id but "null" names nothing here; an empty one is malformed (AWS: InvalidArgument).</summary>
    public static S3Exception NoSuchVersion(string versionId) => versionId.Length == 0
        ? new S3Exception(S3Error.InvalidArgument, "Version id cannot be the empty string")
        : new S3Exception(S3Error.NoSuchVersion, "The specified version does not exist; this gateway keeps only the current version of each object (version id \"null\").");

    /// <summary>
    /// "Suspended" is what an unversioned bucket already does (new writes get the version "null"), so
    /// it is accepted; "Enabled" would promise that overwritten and deleted objects stay readable,
    /// which this gateway cannot keep, so it is refused rather than silently ignored.
    /// </summary>
    public async Task PutBucketVersioningAsync(S3Request r)
    {
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var document = await S3Body.ReadXmlAsync(r).ConfigureAwait(false);
        var root = document.Root;
        if (root is null || root.Name.LocalName != "VersioningConfiguration")
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        var status = S3Body.Child(root, "Status")?.Value.Trim();
        var mfaDelete = S3Body.Child(root, "MfaDelete")?.Value.Trim();
        if (status is not (null or "Enabled" or "Suspended") || mfaDelete is not (null or "Enabled" or "Disabled"))
        {
            throw new S3Exception(S3Error.MalformedXml);
        }

        if (status == "Enabled" || mfaDelete == "Enabled")
        {
            throw new S3Exception(S3Error.NotImplemented, "Bucket versioning cannot be enabled: this gateway keeps only the current version of each object (every object has the version id \"null\").");
        }
    }

    /// <summary>ListObjectVersions: the current objects as their "null" versions, with ListObjects' prefix/delimiter rules.</summary>
    public async Task ListObjectVersionsAsync(S3Request r)
    {
        var q = ParseQuery(r);
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var ct = r.Context.RequestAborted;

        var items = new List<ListItem>();
        var truncated = false;
        if (q.MaxKeys > 0)
        {
            var walker = new KeyWalker(c.Vfs, r.BucketPath, q.Prefix, q.Delimiter, q.KeyMarker is { Length: > 0 } marker ? marker : null);
            await foreach (var item in walker.WalkAsync(ct).ConfigureAwait(false))
            {
                if (items.Count == q.MaxKeys)
                {
                    truncated = true;
                    break;
                }

                items.Add(item);
            }
        }

        // ETags are read before the response starts, so a failing metadata read is still an S3 error.
        var etags = new Dictionary<ListItem, (string ETag, string? StorageClass)>();
        foreach (var item in items.Where(i => !i.IsPrefix))
        {
            etags[item] = await c.ListingETagAsync(item.Entry!, ct).ConfigureAwait(false);
        }

        string Enc(string value) => q.UrlEncoding ? SigV4.UriEncode(value, encodeSlash: false) : value;

        var w = await S3Xml.StartAsync(r.Context.Response, "ListVersionsResult").ConfigureAwait(false);
        await w.ElementAsync("Name", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Prefix", Enc(q.Prefix)).ConfigureAwait(false);
        await w.ElementAsync("KeyMarker", Enc(q.KeyMarker ?? string.Empty)).ConfigureAwait(false);
        await w.ElementAsync("VersionIdMarker", q.VersionIdMarker ?? string.Empty).ConfigureAwait(false);
        if (truncated)
        {
            var last = items[^1];
            await w.ElementAsync("NextKeyMarker", Enc(last.Key)).ConfigureAwait(false);
            if (!last.IsPrefix)
            {
                await w.ElementAsync("NextVersionIdMarker", NullVersionId).ConfigureAwait(false);
            }
        }

        await w.ElementAsync("MaxKeys", q.MaxKeys).ConfigureAwait(false);
        if (q.Delimiter is not null)
        {
            await w.ElementAsync("Delimiter", Enc(q.Delimiter)).ConfigureAwait(false);
        }

        if (q.UrlEncoding)
        {
            await w.ElementAsync("EncodingType", "url").ConfigureAwait(false);
        }

        await w.ElementAsync("IsTruncated", truncated).ConfigureAwait(false);
        foreach (var item in items.Where(i => !i.IsPrefix))
        {
            await WriteVersionAsync(w, item, etags[item].ETag, etags[item].StorageClass, Enc(item.Key)).ConfigureAwait(false);
        }

        foreach (var item in items.Where(i => i.IsPrefix))
        {
            await w.WriteStartElementAsync(null, "CommonPrefixes", null).ConfigureAwait(false);
            await w.ElementAsync("Prefix", Enc(item.Key)).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private static async Task WriteVersionAsync(XmlWriter w, ListItem item, string etag, string? storageClass, string key)
    {
        var entry = item.Entry!;
        await w.WriteStartElementAsync(null, "Version", null).ConfigureAwait(false);
        await w.ElementAsync("Key", key).ConfigureAwait(false);
        await w.ElementAsync("VersionId", NullVersionId).ConfigureAwait(false);
        await w.ElementAsync("IsLatest", true).ConfigureAwait(false);
        await w.ElementAsync("LastModified", entry.ModTime).ConfigureAwait(false);
        await w.ElementAsync("ETag", etag).ConfigureAwait(false);
        await w.ElementAsync("Size", entry.Size).ConfigureAwait(false);
        await S3Xml.OwnerAsync(w).ConfigureAwait(false);
        await w.ElementAsync("StorageClass", storageClass ?? S3StorageClasses.Standard).ConfigureAwait(false);
        await w.WriteEndElementAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The parameters, validated as AWS does. With one version per key, "after version V of key K"
    /// is "after key K" whatever V is, so the version-id marker only has to be well-formed.
    /// </summary>
    private static VersionsQuery ParseQuery(S3Request r)
    {
        var delimiter = r.Query("delimiter");
        var encodingType = r.Query("encoding-type");
        if (encodingType is not null && encodingType != "url")
        {
            throw new S3Exception(S3Error.InvalidArgument, "Invalid Encoding Method specified in Request");
        }

        var maxKeys = MaxKeysLimit;
        if (r.Query("max-keys") is { } maxText && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys) || maxKeys < 0))
        {
            throw new S3Exception(S3Error.InvalidArgument, "Provided max-keys not an integer or within integer range");
        }

        var keyMarker = r.Query("key-marker");
        var versionIdMarker = r.Query("version-id-marker");
        if (versionIdMarker is { Length: > 0 } && keyMarker is not { Length: > 0 })
        {
            throw new S3Exception(S3Error.InvalidArgument, "A version-id marker cannot be specified without a key marker.");
        }

        return new VersionsQuery(r.Query("prefix") ?? string.Empty, delimiter is { Length: > 0 } ? delimiter : null, encodingType == "url", Math.Min(maxKeys, MaxKeysLimit), keyMarker, versionIdMarker);
    }

    private sealed record VersionsQuery(string Prefix, string? Delimiter, bool UrlEncoding, int MaxKeys, string? KeyMarker, string? VersionIdMarker);
}
