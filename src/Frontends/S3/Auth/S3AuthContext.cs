namespace VfsGateway.Frontends.S3.Auth;

/// <summary>What authentication established about a request, and what the body decoder needs to verify signed chunks.</summary>
/// <param name="AccessKeyId">The key that signed, or null when anonymous (--no-auth).</param>
/// <param name="SigningKey">The SigV4 signing key of the request's scope, or null when anonymous.</param>
/// <param name="Scope">"date/region/s3/aws4_request".</param>
/// <param name="AmzDate">The request's X-Amz-Date.</param>
/// <param name="Signature">The request's signature: the seed of chunk signatures.</param>
/// <param name="PayloadHash">The x-amz-content-sha256 value (or UNSIGNED-PAYLOAD).</param>
internal sealed record S3AuthContext(string? AccessKeyId, byte[]? SigningKey, string Scope, string AmzDate, string Signature, string PayloadHash)
{
    public static S3AuthContext Anonymous { get; } = new(null, null, string.Empty, string.Empty, string.Empty, SigV4.UnsignedPayload);
}
