using System.Globalization;
using System.Text;
using VfsGateway.Vfs.Metadata;

namespace VfsGateway.Frontends.S3;

/// <summary>What an S3 write keeps besides the bytes: user metadata, stored headers, rclone's mtime, quoted ETags.</summary>
internal static class S3Metadata
{
    private static readonly string[] StoredHeaders = ["Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];

    private const int MaxUserMetadataBytes = 2048;

    public static string Quote(string etag) => "\"" + etag + "\"";

    public static Dictionary<string, string> UserMetadataOf(S3Request r) =>
        UserMetadataOf(r.Context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())));

    /// <summary>The x-amz-meta-* entries of request headers or of a POST form's fields.</summary>
    public static Dictionary<string, string> UserMetadataOf(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                result[name["x-amz-meta-".Length..].ToLowerInvariant()] = value;
            }
        }

        // AWS: the user-defined metadata (names and values, UTF-8 bytes) is limited to 2 KB.
        var size = result.Sum(m => Encoding.UTF8.GetByteCount(m.Key) + Encoding.UTF8.GetByteCount(m.Value));
        if (size > MaxUserMetadataBytes)
        {
            throw new S3Exception(S3Error.MetadataTooLarge, $"Your metadata headers are {size} bytes; the limit is {MaxUserMetadataBytes} bytes.");
        }

        return result;
    }

    public static Dictionary<string, string> StoredHeadersOf(S3Request r) => StoredHeadersOf(r.Header);

    /// <summary>The stored headers (Cache-Control, Content-Disposition…) of request headers or of a POST form's fields.</summary>
    public static Dictionary<string, string> StoredHeadersOf(Func<string, string?> field)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in StoredHeaders)
        {
            if (field(name) is not { } value)
            {
                continue;
            }

            // aws-chunked is transfer framing, not a property of the object; the rest is kept byte for
            // byte ("deflate, gzip" keeps its space), as AWS returns it.
            if (name == "Content-Encoding" && value.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase))
            {
                value = string.Join(',', value.Split(',').Where(v => !v.Trim().Equals("aws-chunked", StringComparison.OrdinalIgnoreCase))).TrimStart();
                if (value.Trim().Length == 0)
                {
                    continue;
                }
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>rclone stores the source modification time as x-amz-meta-mtime (Unix seconds with up to nine decimals).</summary>
    public static DateTimeOffset? ModTimeOf(IReadOnlyDictionary<string, string> userMetadata) =>
        userMetadata.TryGetValue("mtime", out var value) && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253402300799m
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;

    /// <summary>Begin's metadata of a multipart upload: what a PutObject of the same request would keep.</summary>
    public static ObjectMetadata OfRequest(S3Request r) => new()
    {
        ContentType = r.Header("Content-Type"),
        Headers = StoredHeadersOf(r),
        UserMetadata = UserMetadataOf(r),
        StorageClass = S3StorageClasses.OfRequest(r),
        Tags = S3Tagging.OfHeader(r.Header("x-amz-tagging")),
    };
}
