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

    public async Task ListObjectsAsync(S3Request r, bool v2)
    {
        var ct = r.Context.RequestAborted;
        var prefix = r.Query("prefix") ?? string.Empty;
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

        maxKeys = Math.Min(maxKeys, MaxKeysLimit);
        var token = r.Query("continuation-token");
        var startAfter = r.Query("start-after");
        var marker = r.Query("marker");
        var after = v2 ? (token is not null ? DecodeToken(token) : startAfter) : marker;
        if (after == string.Empty)
        {
            after = null;
        }

        await c.RequireBucketAsync(r).ConfigureAwait(false);

        var objects = new List<ListItem>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        if (maxKeys > 0)
        {
            var walker = new KeyWalker(c.Vfs, r.BucketPath, prefix, delimiter, after);
            await foreach (var item in walker.WalkAsync(ct).ConfigureAwait(false))
            {
                if (objects.Count + prefixes.Count == maxKeys)
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

        // Before the response starts, so a failing metadata read is still an S3 error, not a torn document.
        var etags = new string[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            etags[i] = await c.ListingETagAsync(objects[i].Entry!, ct).ConfigureAwait(false);
        }

        var url = encodingType == "url";
        string Enc(string value) => url ? SigV4.UriEncode(value, encodeSlash: false) : value;

        var w = await S3Xml.StartAsync(r.Context.Response, "ListBucketResult").ConfigureAwait(false);
        await w.ElementAsync("Name", r.Bucket).ConfigureAwait(false);
        await w.ElementAsync("Prefix", Enc(prefix)).ConfigureAwait(false);
        if (v2)
        {
            if (token is not null)
            {
                await w.ElementAsync("ContinuationToken", token).ConfigureAwait(false);
            }

            if (startAfter is not null)
            {
                await w.ElementAsync("StartAfter", Enc(startAfter)).ConfigureAwait(false);
            }

            await w.ElementAsync("KeyCount", objects.Count + prefixes.Count).ConfigureAwait(false);
            if (truncated)
            {
                await w.ElementAsync("NextContinuationToken", EncodeToken(last!)).ConfigureAwait(false);
            }
        }
        else
        {
            await w.ElementAsync("Marker", Enc(marker ?? string.Empty)).ConfigureAwait(false);

            // AWS sends NextMarker only with a delimiter; without one the last key is the marker.
            if (truncated && delimiter is not null)
            {
                await w.ElementAsync("NextMarker", Enc(last!)).ConfigureAwait(false);
            }
        }

        await w.ElementAsync("MaxKeys", maxKeys).ConfigureAwait(false);
        if (delimiter is not null)
        {
            await w.ElementAsync("Delimiter", Enc(delimiter)).ConfigureAwait(false);
        }

        if (url)
        {
            await w.ElementAsync("EncodingType", "url").ConfigureAwait(false);
        }

        await w.ElementAsync("IsTruncated", truncated).ConfigureAwait(false);
        var owner = !v2 || r.Query("fetch-owner") == "true";
        for (var i = 0; i < objects.Count; i++)
        {
            await WriteContentsAsync(w, objects[i], etags[i], Enc(objects[i].Key), owner).ConfigureAwait(false);
        }

        foreach (var common in prefixes)
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

        await w.ElementAsync("StorageClass", "STANDARD").ConfigureAwait(false);
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
}
