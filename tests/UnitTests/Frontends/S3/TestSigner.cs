using VfsGateway.TestSupport;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>A minimal SigV4 signer for hand-made requests (the AWS SDK covers the real client side).</summary>
internal static class TestSigner
{
    public static string AmzDate(DateTimeOffset t) => SigV4Signing.AmzDate(t);

    public static string Encode(string value, bool encodeSlash) => SigV4Signing.Encode(value, encodeSlash);

    public static byte[] Key(string secret, string date, string region = "us-east-1") => SigV4Signing.Key(secret, date, region);

    public static string Hex(byte[] b) => SigV4Signing.Hex(b);

    public static string Sha256(byte[] data) => SigV4Signing.Sha256(data);

    public static string Hmac(byte[] key, string s) => SigV4Signing.Hmac(key, s);

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
        var canonicalQuery = SigV4Signing.CanonicalQuery(pairs);
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
        var scope = SigV4Signing.Scope(amzDate, region);
        var signature = SigV4Signing.Signature(method.Method, encodedPath, canonicalQuery, all, payloadHash, amzDate, secret, region);

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
