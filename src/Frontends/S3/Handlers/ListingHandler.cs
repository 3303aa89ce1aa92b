using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Xml;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>ListObjects (V1) and ListObjectsV2.</summary>
internal sealed class ListingHandler(S3Context c)
{
    private const int MaxKeysLimit = 1000;

    /// <summary>ListObjects / ListObjectsV2: parse the query, walk one page of keys, write the document.</summary>
    public async Task ListObjectsAsync(S3Request r, bool v2)
    {
        var query = ParseQuery(r, v2);
        await c.RequireBucketAsync(r).ConfigureAwait(false);
        var page = await ReadPageAsync(r, query, r.Context.RequestAborted).ConfigureAwait(false);
        await WritePageAsync(r, query, page).ConfigureAwait(false);
    }

    /// <summary>Parse step: the listing parameters, validated; <c>After</c> is where the page starts (exclusive).</summary>
    private static ListQuery ParseQuery(S3Request r, bool v2)
    {
        var delimiter = r.Query("delimiter");
        if (delimiter == string.Empty)
        {
            delimiter = null;
        }

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

        var token = r.Query("continuation-token");
        var startAfter = r.Query("start-after");
        var marker = r.Query("marker");
        var after = v2 ? (token is not null ? DecodeToken(token) : startAfter) : marker;
        return new ListQuery(v2, r.Query("prefix") ?? string.Empty, delimiter, encodingType == "url", Math.Min(maxKeys, MaxKeysLimit), token, startAfter, marker, after is { Length: > 0 } ? after : null);
    }

    /// <summary>
    /// Do step: up to MaxKeys objects and common prefixes after the start, with the objects' ETags read
    /// before the response starts, so a failing metadata read is still an S3 error, not a torn document.
    /// </summary>
    private async Task<ListPage> ReadPageAsync(S3Request r, ListQuery q, CancellationToken ct)
    {
        var objects = new List<ListItem>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        if (q.MaxKeys > 0)
        {
            var walker = new KeyWalker(c.Vfs, r.BucketPath, q.Prefix, q.Delimiter, q.After);
            await foreach (var item in walker.WalkAsync(ct).ConfigureAwait(false))
            {
                if (objects.Count + prefixes.Count == q.MaxKeys)
                {
                    truncated = true;
                    break;
                }

                if (item.IsPrefix)
                {
                    prefixes.Add(item.Key);
                }
                else
                {
                    objects.Add(item);
                }

                last = item.Key;
            }
        }

        var etags = new string[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            (etags[i], var storageClass) = await c.ListingETagAsync(objects[i].Entry!, ct).ConfigureAwait(false);
            objects[i] = objects[i] with { StorageClass = storageClass };
        }

        return new ListPage(objects, etags, prefixes, truncated, last);
    }

    /// <summary>Write step: the ListBucketResult document (V1 or V2 fields).</summary>
    private static async Task WritePageAsync(S3Request r, ListQuery q, ListPage page)
    {
        string Enc(string value) => q.UrlEncoding ? SigV4.UriEncode(value, encodeSlash: false) : value;

        var w = await S3Xml.StartAsync(r.Context.Response, "ListBucketResult").ConfigureAwait(false);
        await w.ElementAsync("Name", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Prefix", Enc(q.Prefix)).ConfigureAwait(false);
        if (q.V2)
        {
            if (q.Token is not null)
            {
                await w.ElementAsync("ContinuationToken", q.Token).ConfigureAwait(false);
            }

            if (q.StartAfter is not null)
            {
                await w.ElementAsync("StartAfter", Enc(q.StartAfter)).ConfigureAwait(false);
            }

            await w.ElementAsync("KeyCount", page.Objects.Count + page.Prefixes.Count).ConfigureAwait(false);
            if (page.Truncated)
            {
                await w.ElementAsync("NextContinuationToken", EncodeToken(page.LastKey!)).ConfigureAwait(false);
            }
        }
        else
        {
            await w.ElementAsync("Marker", Enc(q.Marker ?? string.Empty)).ConfigureAwait(false);

            // AWS sends NextMarker only with a delimiter; without one the last key is the marker.
            if (page.Truncated && q.Delimiter is not null)
            {
                await w.ElementAsync("NextMarker", Enc(page.LastKey!)).ConfigureAwait(false);
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

        await w.ElementAsync("IsTruncated", page.Truncated).ConfigureAwait(false);
        var owner = !q.V2 || r.Query("fetch-owner") == "true";
        for (var i = 0; i < page.Objects.Count; i++)
        {
            await WriteContentsAsync(w, page.Objects[i], page.ETags[i], Enc(page.Objects[i].Key), owner).ConfigureAwait(false);
        }

        foreach (var common in page.Prefixes)
        {
            await w.WriteStartElementAsync(null, "CommonPrefixes", null).ConfigureAwait(false);
            await w.ElementAsync("Prefix", Enc(common)).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }

    private static async Task WriteContentsAsync(XmlWriter w, ListItem item, string etag, string key, bool owner)
    {
        var entry = item.Entry!;
        await w.WriteStartElementAsync(null, "Contents", null).ConfigureAwait(false);
        await w.ElementAsync("Key", key).ConfigureAwait(false);
        await w.ElementAsync("LastModified", entry.ModTime).ConfigureAwait(false);
        await w.ElementAsync("ETag", etag).ConfigureAwait(false);
        await w.ElementAsync("Size", entry.Size).ConfigureAwait(false);
        if (owner)
        {
            await S3Xml.OwnerAsync(w).ConfigureAwait(false);
        }

        await w.ElementAsync("StorageClass", item.StorageClass ?? S3StorageClasses.Standard).ConfigureAwait(false);
        await w.WriteEndElementAsync().ConfigureAwait(false);
    }

    /// <summary>The token is the last key returned, base64url-encoded: stateless, so any instance can continue a listing.</summary>
    private static string EncodeToken(string lastKey) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(lastKey));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
        }
        catch (FormatException)
        {
            throw new S3Exception(S3Error.InvalidArgument, "The continuation token provided is incorrect");
        }
    }

    /// <summary>The parsed parameters of a ListObjects(V2) request.</summary>
    private sealed record ListQuery(bool V2, string Prefix, string? Delimiter, bool UrlEncoding, int MaxKeys, string? Token, string? StartAfter, string? Marker, string? After);

    /// <summary>One page of a listing: objects with their ETags, common prefixes, and where it stopped.</summary>
    private sealed record ListPage(List<ListItem> Objects, string[] ETags, List<string> Prefixes, bool Truncated, string? LastKey);
}
