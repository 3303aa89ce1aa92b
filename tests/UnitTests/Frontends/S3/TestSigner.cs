using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VfsGateway.Frontends.S3.Auth;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>A minimal SigV4 signer for hand-made requests (the AWS SDK covers the real client side).</summary>
internal static class TestSigner
{
    public static string AmzDate(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

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

    /// <summary>Signs a request in place with the Authorization header; path is the decoded path, query the decoded pairs.</summary>
    public static HttpRequestMessage Sign(
        HttpMethod method,
        string path,
        IEnumerable<KeyValuePair<string, string>>? query,
        byte[]? body,
        DateTimeOffset now,
        string payloadHash,
        Dictionary<string, string>? headers = null,
        string accessKey = S3TestHost.AccessKey,
        string secret = S3TestHost.SecretKey,
        string region = "us-east-1")
    {
        var pairs = (query ?? []).ToList();
        var encodedPath = Encode(path, encodeSlash: false);
        var canonicalQuery = string.Join('&', pairs.Select(p => (K: Encode(p.Key, true), V: Encode(p.Value, true))).OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal).Select(p => p.K + "=" + p.V));
        var amzDate = AmzDate(now);
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = "localhost",
            ["x-amz-date"] = amzDate,
            ["x-amz-content-sha256"] = payloadHash,
        };
        foreach (var (k, v) in headers ?? [])
        {
            all[k.ToLowerInvariant()] = v;
        }

        var signedHeaders = string.Join(';', all.Keys);
        var canonical = $"{method.Method}\n{encodedPath}\n{canonicalQuery}\n{string.Concat(all.Select(h => h.Key + ":" + h.Value.Trim() + "\n"))}\n{signedHeaders}\n{payloadHash}";
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Sha256(Encoding.UTF8.GetBytes(canonical))}";
        var signature = Hmac(Key(secret, amzDate[..8], region), stringToSign);

        var uri = "http://localhost" + encodedPath + (pairs.Count > 0 ? "?" + string.Join('&', pairs.Select(p => Encode(p.Key, true) + "=" + Encode(p.Value, true))) : string.Empty);
        var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (k, v) in all)
        {
            if (k == "host")
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(k, v))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(k, v);
            }
        }

        message.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        return message;
    }
}
