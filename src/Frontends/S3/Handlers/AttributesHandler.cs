using VfsGateway.Frontends.S3.Checksums;
using VfsGateway.Frontends.S3.Xml;

namespace VfsGateway.Frontends.S3.Handlers;

/// <summary>GetObjectAttributes (GET ?attributes): the x-amz-object-attributes the client names, from the stat and the metadata record.</summary>
internal sealed class AttributesHandler(S3Context c)
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize" };

    public async Task GetObjectAttributesAsync(S3Request r)
    {
        var wanted = (r.Header("x-amz-object-attributes") ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new S3Exception(S3Error.InvalidArgument, "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty.");
        }

        if (wanted.FirstOrDefault(a => !Known.Contains(a)) is { } unknown)
        {
            throw new S3Exception(S3Error.InvalidArgument, $"Invalid attribute name specified: '{unknown}'.");
        }

        var entry = await c.StatObjectAsync(r, r.ObjectPath).ConfigureAwait(false);
        var meta = await c.DescribeAsync(entry, r.Context.RequestAborted).ConfigureAwait(false);
        r.Context.Response.Headers.LastModified = S3Xml.HttpDate(entry.ModTime);
        var etag = meta.ETag!.Trim('"');
        var w = await S3Xml.StartAsync(r.Context.Response, "GetObjectAttributesResponse").ConfigureAwait(false);
        if (wanted.Contains("ETag"))
        {
            // Unquoted here, unlike every other ETag S3 returns.
            await w.ElementAsync("ETag", etag).ConfigureAwait(false);
        }

        if (wanted.Contains("Checksum") && S3Checksums.StoredOf(meta) is not null)
        {
            await w.WriteStartElementAsync(null, "Checksum", null).ConfigureAwait(false);
            await S3Checksums.WriteElementsAsync(w, meta.Checksums, withoutPartCount: true).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        // Only multipart objects have parts; the part list itself is not kept (docs/s3.md), the count is in the ETag.
        var dash = etag.LastIndexOf('-');
        if (wanted.Contains("ObjectParts") && dash > 0 && int.TryParse(etag.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out var parts))
        {
            await w.WriteStartElementAsync(null, "ObjectParts", null).ConfigureAwait(false);
            await w.ElementAsync("PartsCount", parts).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        if (wanted.Contains("StorageClass"))
        {
            await w.ElementAsync("StorageClass", S3StorageClasses.Of(meta)).ConfigureAwait(false);
        }

        if (wanted.Contains("ObjectSize"))
        {
            await w.ElementAsync("ObjectSize", entry.Size).ConfigureAwait(false);
        }

        await S3Xml.EndAsync(w).ConfigureAwait(false);
    }
}
