using System.Text;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// One request as S3 sees it: bucket, key and query, parsed once at the edge from the raw request
/// target. The bucket and object paths built here are the only storage addresses handlers use
/// (CONVENTIONS §4).
/// </summary>
internal sealed class S3Request
{
    public const int MaxKeyBytes = 1024;

    private S3Request(HttpContext context, string requestId)
    {
        Context = context;
        RequestId = requestId;
    }

    public HttpContext Context { get; }

    public string RequestId { get; }

    public string Method => Context.Request.Method;

    /// <summary>The percent-decoded request path ("/bucket/key" path-style, "/key" virtual-host style); what SigV4 signs.</summary>
    public string DecodedPath { get; private set; } = "/";

    /// <summary>The query parameters in order, percent-decoded ('+' is a space).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; private set; } = [];

    public string Bucket { get; private set; } = string.Empty;

    public string Key { get; private set; } = string.Empty;

    public VfsPath BucketPath { get; private set; }

    /// <summary>The object's path; only valid when <see cref="Key"/> is not empty.</summary>
    public VfsPath ObjectPath { get; private set; }

    /// <summary>
    /// The key ends with '/' and the storage keeps it as a folder (path-based backends): a directory
    /// marker, what rclone and the consoles create for empty folders, which cannot hold data. On a
    /// bucket-based backend such a key is an ordinary object (<see cref="ObjectPath"/> is then a
    /// directory key, <see cref="VfsPath.AsDirectoryKey"/>) and this is false.
    /// </summary>
    public bool IsDirectoryMarker => Key.EndsWith('/') && !ObjectPath.IsDirectoryKey;

    /// <summary>Set once the request is authenticated.</summary>
    public S3AuthContext Auth { get; set; } = S3AuthContext.Anonymous;

    public string Resource => Key.Length > 0 ? $"/{Bucket}/{Key}" : Bucket.Length > 0 ? $"/{Bucket}" : "/";

    public string? Query(string name)
    {
        foreach (var (k, v) in QueryPairs)
        {
            if (k == name)
            {
                return v;
            }
        }

        return null;
    }

    public bool HasQuery(string name) => Query(name) is not null;

    public string? Header(string name)
    {
        var values = Context.Request.Headers[name];
        return values.Count == 0 ? null : values.ToString();
    }

    /// <summary>Parses the request target; throws <see cref="S3Exception"/> for bad bucket names and keys.</summary>
    /// <param name="bucketBased">The storage is bucket-based: a key ending in '/' is an object of its own (<see cref="ParseKey"/>).</param>
    public static S3Request Parse(HttpContext context, S3Options options, string requestId, bool bucketBased = false)
    {
        var request = new S3Request(context, requestId);
        var (rawPath, rawQuery) = SplitTarget(context);
        request.DecodedPath = StrictDecode(rawPath);
        request.QueryPairs = ParseQuery(rawQuery);

        var path = request.DecodedPath;
        string bucket;
        string key;
        if (VirtualHostBucket(context.Request.Host.Host, options) is { } hostBucket)
        {
            bucket = hostBucket;
            key = path.Length > 0 ? path[1..] : string.Empty;
        }
        else
        {
            var rest = path.Length > 0 ? path[1..] : string.Empty;
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            bucket = slash < 0 ? rest : rest[..slash];
            key = slash < 0 ? string.Empty : rest[(slash + 1)..];
        }

        request.Bucket = bucket;
        request.Key = key;
        if (bucket.Length == 0)
        {
            if (key.Length > 0)
            {
                throw new S3Exception(S3Error.InvalidBucketName, "The specified bucket is not valid.");
            }

            return request;
        }

        if (!BucketNames.IsValid(bucket))
        {
            throw new S3Exception(S3Error.InvalidBucketName, $"The specified bucket is not valid: '{bucket}'.");
        }

        request.BucketPath = VfsPath.Root.Join(bucket);
        if (key.Length > 0)
        {
            request.ObjectPath = ParseKey(request.BucketPath, key, bucketBased);
        }

        return request;
    }

    /// <summary>
    /// Maps a key onto a path inside the bucket. Keys that are not canonical paths ("..", "//",
    /// a leading '/', NUL, '\') cannot be stored without aliasing another key or escaping the
    /// bucket, so they are refused instead of normalized. A key ending in '/' names the folder on a
    /// path-based backend and, with <paramref name="bucketBased"/>, the directory key of it (an object).
    /// </summary>
    public static VfsPath ParseKey(VfsPath bucketPath, string key, bool bucketBased)
    {
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new S3Exception(S3Error.KeyTooLongError);
        }

        var trimmed = key.EndsWith('/') ? key[..^1] : key;
        if (trimmed.Length == 0 || trimmed[0] == '/' || !VfsPath.TryParse(trimmed, out var relative, out var error) || relative.Value != trimmed)
        {
            throw new S3Exception(S3Error.InvalidArgument, $"Object key '{key}' is not supported by this gateway: keys must be canonical paths (no empty, '.' or '..' segments, no leading '/', NUL or '\\').");
        }

        _ = error;
        if (relative.Segments.Any(TempNames.IsTemp))
        {
            throw new S3Exception(S3Error.InvalidArgument, $"Object key '{key}' uses a name reserved for in-flight uploads.");
        }

        var path = bucketPath.Combine(relative);
        return bucketBased && key.EndsWith('/') ? path.AsDirectoryKey() : path;
    }

    internal static string? VirtualHostBucket(string host, S3Options options)
    {
        if (options.ForcePathStyle || string.IsNullOrEmpty(options.BaseDomain))
        {
            return null;
        }

        var suffix = "." + options.BaseDomain.TrimStart('.');
        return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            ? host[..^suffix.Length]
            : null;
    }

    /// <summary>The raw path and query as sent (what SigV4 signs); rebuilt from the decoded parts only when the server does not know the target.</summary>
    private static (string Path, string Query) SplitTarget(HttpContext context)
    {
        if (RequestTarget.TrySplit(RequestTarget.RawOf(context), out var path, out var query))
        {
            return (path.IsEmpty ? "/" : path.ToString(), query.ToString());
        }

        var rebuilt = context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent();
        var queryString = context.Request.QueryString.ToUriComponent();
        return (rebuilt.Length == 0 ? "/" : rebuilt, queryString.Length > 0 ? queryString[1..] : string.Empty);
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string raw)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string s) => StrictDecode(s.Replace('+', ' '));

    /// <summary>Percent-decodes a path, query part or header; malformed escapes and invalid UTF-8 are 400 InvalidURI.</summary>
    internal static string StrictDecode(string s) =>
        PercentDecoding.TryDecode(s, out var decoded)
            ? decoded
            : throw new S3Exception(S3Error.InvalidUri, "The request contains a malformed percent-escape or bytes that are not valid UTF-8.");
}
