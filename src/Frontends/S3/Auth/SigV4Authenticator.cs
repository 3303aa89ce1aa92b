using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace VfsGateway.Frontends.S3.Auth;

/// <summary>
/// Verifies AWS Signature Version 4: the Authorization header and presigned (query) URLs, any
/// region, several access keys. Chunk and trailer signatures are verified later by
/// <see cref="AwsChunkedStream"/> from the <see cref="S3AuthContext"/> returned here.
/// </summary>
internal sealed class SigV4Authenticator(S3Options options, TimeProvider time)
{
    /// <summary>AWS refuses requests more than 15 minutes off the server's clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Seven days: AWS's longest presigned URL lifetime.</summary>
    public const int MaxExpiresSeconds = 604800;

    private readonly Dictionary<string, string> _secrets = options.AuthKeys
        .GroupBy(k => k.AccessKeyId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().SecretAccessKey, StringComparer.Ordinal);

    public S3AuthContext Authenticate(S3Request request)
    {
        var authorization = request.Header("Authorization");
        var presigned = request.HasQuery("X-Amz-Algorithm") || request.HasQuery("X-Amz-Signature");
        if (options.NoAuth)
        {
            return S3AuthContext.Anonymous with { PayloadHash = request.Header("x-amz-content-sha256") ?? SigV4.UnsignedPayload };
        }

        S3AuthContext result;
        if (authorization is not null && !presigned)
        {
            result = VerifyHeader(request, authorization);
        }
        else if (presigned && authorization is null)
        {
            result = VerifyPresigned(request);
        }
        else if (presigned)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }
        else if (request.HasQuery("AWSAccessKeyId") && request.HasQuery("Signature"))
        {
            throw new S3Exception(S3Error.InvalidRequest, "Signature Version 2 presigned URLs are not supported; presign with AWS4-HMAC-SHA256 (s3v4).");
        }
        else
        {
            throw new S3Exception(S3Error.AccessDenied, "Anonymous access is not allowed; sign requests with AWS Signature Version 4.");
        }

        request.Context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, result.AccessKeyId!)], "AWS4-HMAC-SHA256"));
        return result;
    }

    private S3AuthContext VerifyHeader(S3Request request, string authorization)
    {
        if (authorization.StartsWith("AWS ", StringComparison.Ordinal))
        {
            throw new S3Exception(S3Error.InvalidRequest, "Signature Version 2 is not supported; use AWS4-HMAC-SHA256.");
        }

        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            throw new S3Exception(S3Error.AuthorizationHeaderMalformed, "Unsupported authorization type.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new S3Exception(S3Error.AuthorizationHeaderMalformed);
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: throw new S3Exception(S3Error.AuthorizationHeaderMalformed, $"Unknown authorization component '{part[..eq]}'.");
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            throw new S3Exception(S3Error.AuthorizationHeaderMalformed, "The authorization header needs Credential, SignedHeaders and Signature.");
        }

        var amzDate = request.Header("x-amz-date") ?? FromHttpDate(request.Header("Date"))
            ?? throw new S3Exception(S3Error.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        if (!SigV4.TryParseAmzDate(amzDate, out var date))
        {
            throw new S3Exception(S3Error.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        }

        var now = time.GetUtcNow();
        if ((now - date).Duration() > MaxSkew)
        {
            throw new S3Exception(S3Error.RequestTimeTooSkewed);
        }

        var payloadHash = request.Header("x-amz-content-sha256")
            ?? throw new S3Exception(S3Error.InvalidRequest, "Missing required header for this request: x-amz-content-sha256");
        CheckPayloadHash(payloadHash);
        var (accessKey, scope, signingKey) = ResolveCredential(credential, amzDate, S3Error.AuthorizationHeaderMalformed);
        Verify(request, signedHeaders, payloadHash, amzDate, scope, signingKey, signature, skipSignatureParameter: false);
        return new S3AuthContext(accessKey, signingKey, scope, amzDate, signature.ToLowerInvariant(), payloadHash);
    }

    private S3AuthContext VerifyPresigned(S3Request request)
    {
        string Required(string name) => request.Query(name)
            ?? throw new S3Exception(S3Error.AuthorizationQueryParametersError, $"Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters ({name} is missing).");

        if (Required("X-Amz-Algorithm") != SigV4.Algorithm)
        {
            throw new S3Exception(S3Error.AuthorizationQueryParametersError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        var credential = Required("X-Amz-Credential");
        var amzDate = Required("X-Amz-Date");
        var signedHeaders = Required("X-Amz-SignedHeaders");
        var signature = Required("X-Amz-Signature");
        // AWS: a negative or too large value is a malformed request (400); 0 is a URL that expired when it was made (403).
        if (!int.TryParse(Required("X-Amz-Expires"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expires) || expires is < 0 or > MaxExpiresSeconds)
        {
            throw new S3Exception(S3Error.AuthorizationQueryParametersError, "X-Amz-Expires must be between 1 and 604800 seconds");
        }

        if (!SigV4.TryParseAmzDate(amzDate, out var date))
        {
            throw new S3Exception(S3Error.AuthorizationQueryParametersError, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        var now = time.GetUtcNow();
        if (now < date - MaxSkew)
        {
            throw new S3Exception(S3Error.AccessDenied, "Request is not valid yet");
        }

        if (expires == 0 || now > date.AddSeconds(expires))
        {
            throw new S3Exception(S3Error.AccessDenied, "Request has expired");
        }

        var payloadHash = request.Header("x-amz-content-sha256") ?? SigV4.UnsignedPayload;
        CheckPayloadHash(payloadHash);
        var (accessKey, scope, signingKey) = ResolveCredential(credential, amzDate, S3Error.AuthorizationQueryParametersError);
        Verify(request, signedHeaders, payloadHash, amzDate, scope, signingKey, signature, skipSignatureParameter: true);
        return new S3AuthContext(accessKey, signingKey, scope, amzDate, signature.ToLowerInvariant(), payloadHash);
    }

    /// <summary>
    /// Authenticates a browser POST upload by its form fields: x-amz-signature is the HMAC of the
    /// base64 policy under the credential's signing key. With --no-auth (or no signature and no
    /// policy there) the caller is anonymous; anonymous POSTs are refused when auth is on.
    /// </summary>
    public S3AuthContext AuthenticatePost(S3Request request, IReadOnlyDictionary<string, string> fields)
    {
        if (options.NoAuth)
        {
            return S3AuthContext.Anonymous;
        }

        string Required(string name) => fields.GetValueOrDefault(name)
            ?? throw new S3Exception(S3Error.AccessDenied, $"Anonymous POST uploads are not allowed; the form needs policy, x-amz-algorithm, x-amz-credential, x-amz-date and x-amz-signature ({name} is missing).");
        var policy = Required("policy");
        var signature = Required("x-amz-signature");
        if (Required("x-amz-algorithm") != SigV4.Algorithm)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Only AWS4-HMAC-SHA256 POST policies are supported (x-amz-algorithm).");
        }

        var amzDate = Required("x-amz-date");
        if (!SigV4.TryParseAmzDate(amzDate, out _))
        {
            throw new S3Exception(S3Error.InvalidArgument, "x-amz-date must be in the form yyyyMMddTHHmmssZ.");
        }

        var (accessKey, scope, signingKey) = ResolveCredential(Required("x-amz-credential"), amzDate, S3Error.InvalidArgument);
        var expected = Encoding.ASCII.GetBytes(SigV4.Sign(signingKey, policy));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            throw new S3Exception(S3Error.SignatureDoesNotMatch);
        }

        request.Context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, accessKey)], "AWS4-HMAC-SHA256"));
        return new S3AuthContext(accessKey, signingKey, scope, amzDate, signature.ToLowerInvariant(), SigV4.UnsignedPayload);
    }

    /// <summary>The server's clock (policy expiration).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    private (string AccessKey, string Scope, byte[] SigningKey) ResolveCredential(string credential, string amzDate, S3Error malformed)
    {
        // AKID/yyyyMMdd/region/s3/aws4_request; the key id itself never contains '/'.
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[4] != "aws4_request" || parts[0].Length == 0 || parts[2].Length == 0)
        {
            throw new S3Exception(malformed, "The credential is malformed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }

        if (parts[1] != amzDate[..8])
        {
            throw new S3Exception(malformed, $"Invalid credential date \"{parts[1]}\". This date is not the same as X-Amz-Date: \"{amzDate[..8]}\".");
        }

        if (parts[3] != "s3")
        {
            throw new S3Exception(malformed, $"The credential is for service '{parts[3]}'; expecting 's3'.");
        }

        if (!_secrets.TryGetValue(parts[0], out var secret))
        {
            throw new S3Exception(S3Error.InvalidAccessKeyId);
        }

        return (parts[0], string.Join('/', parts[1..]), SigV4.SigningKey(secret, parts[1], parts[2], parts[3]));
    }

    private static void Verify(S3Request request, string signedHeaders, string payloadHash, string amzDate, string scope, byte[] signingKey, string signature, bool skipSignatureParameter)
    {
        var names = signedHeaders.Split(';');
        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw new S3Exception(S3Error.AccessDenied, "The host header must be signed.");
        }

        var canonical = new StringBuilder(512)
            .Append(request.Method).Append('\n')
            .Append(SigV4.UriEncode(request.DecodedPath, encodeSlash: false)).Append('\n')
            .Append(SigV4.CanonicalQuery(request.QueryPairs, skipSignatureParameter)).Append('\n');
        foreach (var name in names)
        {
            var values = name == "host" ? [request.Context.Request.Headers.Host.ToString()] : request.Context.Request.Headers[name].ToArray();
            canonical.Append(name).Append(':').Append(SigV4.CanonicalHeaderValue(values)).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        var stringToSign = $"{SigV4.Algorithm}\n{amzDate}\n{scope}\n{SigV4.Sha256Hex(canonical.ToString())}";
        if (!SigV4.SignaturesEqual(SigV4.Sign(signingKey, stringToSign), signature))
        {
            throw new S3Exception(S3Error.SignatureDoesNotMatch);
        }
    }

    private static void CheckPayloadHash(string payloadHash)
    {
        if (payloadHash is SigV4.UnsignedPayload or SigV4.StreamingSigned or SigV4.StreamingSignedTrailer or SigV4.StreamingUnsignedTrailer || SigV4.IsHexSha256(payloadHash))
        {
            return;
        }

        if (payloadHash.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            throw new S3Exception(S3Error.NotImplemented, $"x-amz-content-sha256 '{payloadHash}' is not supported.");
        }

        throw new S3Exception(S3Error.InvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value or a hex SHA-256.");
    }

    private static string? FromHttpDate(string? value) =>
        DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.UtcDateTime.ToString(SigV4.DateFormat, CultureInfo.InvariantCulture)
            : null;
}
