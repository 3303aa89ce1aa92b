using System.Globalization;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.S3;

/// <summary>Registers the "s3" backend type: <c>s3:bucket/path</c>, <c>s3:</c> (every bucket) or a named remote with <c>type = s3</c>.</summary>
public static class S3Registration
{
    public const string Name = "s3";

    public static IReadOnlyList<BackendOption> Options { get; } =
    [
        new("endpoint", "URL of an S3-compatible server (MinIO, Ceph RGW, Garage, SeaweedFS, Wasabi, R2 …); unset means AWS S3."),
        new("region", "Region to sign requests for (default us-east-1)."),
        new("access_key_id", "Access key id."),
        new("secret_access_key", "Secret access key.", IsSecret: true),
        new("session_token", "Session token of temporary credentials.", IsSecret: true),
        new("env_auth", "Take credentials from the AWS SDK's standard chain: AWS_* env vars, the shared config/credentials files (see profile), container and instance roles.", "false"),
        new("profile", "Profile of the shared AWS config/credentials files to use with env_auth."),
        new("force_path_style", "Path-style URLs (http://host/bucket/key) instead of virtual-hosted ones (default: true when endpoint is set, else false)."),
        new("upload_cutoff", "Objects below this size are sent in one PutObject (held in memory meanwhile); larger ones use multipart.", "32M"),
        new("chunk_size", "Part size of multipart uploads (5M-5G; grown automatically above 10,000 parts).", "8M"),
        new("upload_concurrency", "Parts of one multipart upload sent at once (memory per upload: chunk_size x (upload_concurrency + 1)).", S3Options.DefaultUploadConcurrency.ToString(CultureInfo.InvariantCulture)),
        new("copy_cutoff", "Server-side copies of larger objects use UploadPartCopy in parts of this size (at most 5G).", "4608M"),
        new("storage_class", "Storage class of new objects (STANDARD, STANDARD_IA, INTELLIGENT_TIERING, …)."),
        new("server_side_encryption", "Server-side encryption of new objects: AES256 (SSE-S3) or aws:kms (SSE-KMS)."),
        new("sse_kms_key_id", "KMS key id for server_side_encryption = aws:kms."),
        new("request_checksum", "when_supported: a CRC-32 checksum header (x-amz-checksum-crc32) on every upload; when_required: Content-MD5 instead, and checksums only where the API needs one (for servers without flexible checksums, e.g. s3rver).", "when_supported"),
        new("multipart_passthrough", "Map the S3 frontend's multipart uploads onto the server's own, so any gateway instance can take any part (needs ListMultipartUploads and ListParts; false: parts are staged on local disk, for servers without them such as s3rver).", "true"),
        new("server_side_copy", "Copy inside the server (CopyObject; UploadPartCopy above copy_cutoff); false: copies stream through the gateway (for servers whose CopyObject is broken, e.g. s3rver 3.7 with an encoded x-amz-copy-source).", "true"),
        new("no_check_bucket", "Do not check at startup that the bucket exists and the keys work (for keys that may not list the bucket).", "false"),
    ];

    public static BackendRegistration Registration { get; } = Create(null);

    /// <summary>A registration that logs through <paramref name="loggerFactory"/> (null: the config's <see cref="BackendConfig.LoggerFactory"/>).</summary>
    public static BackendRegistration Create(ILoggerFactory? loggerFactory) => new(
        Name,
        "Objects in an S3 bucket, or every bucket of an account, on AWS or any S3-compatible server (native multipart, metadata and server-side copy).",
        Options,
        async (config, cancellationToken) =>
        {
            var options = S3Options.FromConfig(config);
            var logger = (loggerFactory ?? config.LoggerFactory).CreateLogger("VfsGateway.Backends.S3");
            IBackend backend = await S3Backend.CreateAsync(options, logger, cancellationToken).ConfigureAwait(false);
            return backend;
        });
}
