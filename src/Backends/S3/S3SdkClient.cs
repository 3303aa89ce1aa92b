using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace VfsGateway.Backends.S3;

/// <summary>
/// The SDK's S3 client with one pipeline step of ours, <see cref="KnownSha256Payload"/>: a PutObject
/// whose body the caller already hashed goes plain, checked by its x-amz-checksum-sha256 rather than
/// by a payload hash the SDK would compute again.
/// </summary>
internal sealed class S3SdkClient : AmazonS3Client
{
    public S3SdkClient(AmazonS3Config config)
        : base(config)
    {
    }

    public S3SdkClient(AWSCredentials credentials, AmazonS3Config config)
        : base(credentials, config)
    {
    }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Signer>(new KnownSha256Payload());
    }

    /// <summary>
    /// Over http SigV4 covers the body: the SDK hashes a seekable body whole, and sends one it cannot
    /// rewind as aws-chunked with every chunk hashed and signed — whatever the request's
    /// UseChunkEncoding says. A PutObject that sets UseChunkEncoding = false and carries the body's
    /// SHA-256 as x-amz-checksum-sha256 (a signed header the server checks against the bytes: a body
    /// changed in transit is refused as surely as with a signed payload) gets what it asked for, just
    /// before signing: a plain body, which the signer, unable to hash a stream it cannot rewind,
    /// signs as UNSIGNED-PAYLOAD. A seekable body is still hashed as before.
    /// </summary>
    private sealed class KnownSha256Payload : PipelineHandler
    {
        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var request = executionContext.RequestContext.Request;
            if (request.OriginalRequest is PutObjectRequest { UseChunkEncoding: false, ChecksumSHA256: { Length: > 0 } })
            {
                request.UseChunkEncoding = false;
            }

            return base.InvokeAsync<T>(executionContext);
        }
    }
}
