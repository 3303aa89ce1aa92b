using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.TestSupport;

/// <summary>
/// The SigV4 arithmetic for hand-made S3 requests (header auth, presigned query, aws-chunked chunk
/// signatures); real clients (aws-cli, boto3, AWSSDK.S3) cover the client side everywhere else.
/// </summary>
internal static class SigV4Signing
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public static string AmzDate(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3986 encoding as SigV4 wants it (unreserved characters kept; '/' kept unless <paramref name="encodeSlash"/>).</summary>
    public static string Encode(string value, bool encodeSlash)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    public static byte[] Key(string secret, string date, string region = "us-east-1")
    {
        var k = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(region));
        k = HMACSHA256.HashData(k, "s3"u8.ToArray());
        return HMACSHA256.HashData(k, "aws4_request"u8.ToArray());
    }

    public static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    public static string Sha256(byte[] data) => Hex(SHA256.HashData(data));

    public static string Hmac(byte[] key, string s) => Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(s)));

    public static string Scope(string amzDate, string region) => $"{amzDate[..8]}/{region}/s3/aws4_request";

    /// <summary>The canonical query string of decoded pairs (encoded, sorted by name then value).</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => (K: Encode(p.Key, true), V: Encode(p.Value, true)))
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal).Select(p => p.K + "=" + p.V));

    /// <summary>The signature of a canonical request whose headers are given lower-cased and sorted.</summary>
    public static string Signature(
        string method, string encodedPath, string canonicalQuery, SortedDictionary<string, string> headers,
        string payloadHash, string amzDate, string secret, string region)
    {
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"{method}\n{encodedPath}\n{canonicalQuery}\n{string.Concat(headers.Select(h => h.Key + ":" + h.Value.Trim() + "\n"))}\n{signedHeaders}\n{payloadHash}";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{Scope(amzDate, region)}\n{Sha256(Encoding.UTF8.GetBytes(canonical))}";
        return Hmac(Key(secret, amzDate[..8], region), stringToSign);
    }

    /// <summary>The signature of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).</summary>
    public static string ChunkSignature(string previousSignature, byte[] chunk, string amzDate, string secret, string region)
    {
        var stringToSign = $"{Algorithm}-PAYLOAD\n{amzDate}\n{Scope(amzDate, region)}\n{previousSignature}\n{Sha256([])}\n{Sha256(chunk)}";
        return Hmac(Key(secret, amzDate[..8], region), stringToSign);
    }
}
