using System.Globalization;
using System.Text;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Backends.S3;

/// <summary>
/// Options of the s3 backend (rclone's s3 names), validated (<see cref="Validate"/>) before the first
/// request. <see cref="ToString"/> never shows the secret key or the session token.
/// </summary>
public sealed partial record S3Options
{
    public const long MiB = 1024 * 1024;

    /// <summary>S3's smallest non-last multipart part.</summary>
    public const long MinPartSize = 5 * MiB;

    /// <summary>S3's largest part, and the largest object one CopyObject may copy.</summary>
    public const long MaxPartSize = 5L * 1024 * MiB;

    public const int MaxParts = 10_000;
    /// <summary>
    /// Above restic's packs (16 MiB plus the last blob since restic 0.14): at 16 MiB every pack was a
    /// three-request multipart upload that the server then had to assemble.
    /// </summary>
    public const long DefaultUploadCutoff = 32 * MiB;
    public const long DefaultChunkSize = 8 * MiB;
    public const int DefaultUploadConcurrency = 4;
    public const long DefaultCopyCutoff = 4608 * MiB;

    /// <summary>The bucket of <c>s3:bucket/path</c>; null for <c>s3:</c> (every bucket of the account, as top-level directories).</summary>
    public string? Bucket { get; init; }

    /// <summary>The key prefix inside <see cref="Bucket"/> that is the remote's root ("" or "a/b", no slashes at the ends).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Service URL of an S3-compatible server (MinIO, Ceph RGW, Garage …); null means AWS itself.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Signing region; null means us-east-1.</summary>
    public string? Region { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? SessionToken { get; init; }

    /// <summary>Take credentials from the SDK's standard chain (AWS_* env vars, shared files, container and instance roles).</summary>
    public bool EnvAuth { get; init; }

    /// <summary>The shared config/credentials profile the chain reads (with <see cref="EnvAuth"/>).</summary>
    public string? Profile { get; init; }

    /// <summary>Path-style URLs (http://host/bucket/key) instead of virtual-host style; default true when an endpoint is given.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Puts of at least this many bytes (and of unknown length above one chunk) use multipart.</summary>
    public long UploadCutoff { get; init; } = DefaultUploadCutoff;

    /// <summary>Part size of the backend's own multipart uploads (grown automatically for objects above 10,000 parts).</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Parts of one upload in flight at once; memory per upload is at most ChunkSize × (UploadConcurrency + 1).</summary>
    public int UploadConcurrency { get; init; } = DefaultUploadConcurrency;

    /// <summary>Server-side copies of larger objects use UploadPartCopy in parts of this size.</summary>
    public long CopyCutoff { get; init; } = DefaultCopyCutoff;

    /// <summary>Storage class of new objects (STANDARD, STANDARD_IA, …); null leaves it to the server.</summary>
    public string? StorageClass { get; init; }

    /// <summary>SSE header of new objects: AES256 or aws:kms; null sends none.</summary>
    public string? ServerSideEncryption { get; init; }

    /// <summary>The KMS key for <c>aws:kms</c>.</summary>
    public string? SseKmsKeyId { get; init; }

    /// <summary>
    /// False (when_supported, the SDK's default): a CRC-32 checksum header on every upload. True
    /// (when_required): Content-MD5 instead, and the SDK's checksums only where the API requires one,
    /// for servers without flexible checksums (s3rver, older gateways). Bodies go plain either way.
    /// </summary>
    public bool ChecksumWhenRequired { get; init; }

    /// <summary>Skip the startup check of the bucket (for keys that may not list it).</summary>
    public bool NoCheckBucket { get; init; }

    /// <summary>
    /// Offer the server's native multipart uploads to the S3 frontend (needs ListMultipartUploads and
    /// ListParts); false leaves the frontend to stage parts on local disk, for servers without them.
    /// </summary>
    public bool MultipartPassthrough { get; init; } = true;

    /// <summary>Copy inside the server (CopyObject, UploadPartCopy); false copies through the gateway, for servers whose CopyObject is broken.</summary>
    public bool ServerSideCopy { get; init; } = true;

    /// <summary>Where messages say the data lives: "s3:bucket/prefix" at the endpoint.</summary>
    public string Describe() =>
        $"s3:{Bucket}{(Prefix.Length == 0 ? string.Empty : "/" + Prefix)}{(Endpoint is null ? string.Empty : " at " + Endpoint)}";

    /// <summary>Reads the options from a resolved remote (<c>s3:bucket/path</c> or <c>s3:</c>).</summary>
    public static S3Options FromConfig(BackendConfig config)
    {
        var (bucket, prefix) = ParseRoot(config.Root);
        var endpoint = NullIfEmpty(config.Get("endpoint"))?.TrimEnd('/');
        var options = new S3Options
        {
            Bucket = bucket,
            Prefix = prefix,
            Endpoint = endpoint,
            Region = NullIfEmpty(config.Get("region")),
            AccessKeyId = NullIfEmpty(config.Get("access_key_id")),
            SecretAccessKey = NullIfEmpty(config.Get("secret_access_key")),
            SessionToken = NullIfEmpty(config.Get("session_token")),
            EnvAuth = config.GetBool("env_auth"),
            Profile = NullIfEmpty(config.Get("profile")),
            ForcePathStyle = config.IsSet("force_path_style") ? config.GetBool("force_path_style") : endpoint is not null,
            UploadCutoff = ParseSize(config.Get("upload_cutoff"), "upload_cutoff", DefaultUploadCutoff),
            ChunkSize = ParseSize(config.Get("chunk_size"), "chunk_size", DefaultChunkSize),
            UploadConcurrency = config.GetInt("upload_concurrency", DefaultUploadConcurrency),
            CopyCutoff = ParseSize(config.Get("copy_cutoff"), "copy_cutoff", DefaultCopyCutoff),
            StorageClass = NullIfEmpty(config.Get("storage_class")),
            ServerSideEncryption = NullIfEmpty(config.Get("server_side_encryption")),
            SseKmsKeyId = NullIfEmpty(config.Get("sse_kms_key_id")),
            ChecksumWhenRequired = (config.Get("request_checksum") ?? "when_supported").Trim().ToLowerInvariant() switch
            {
                "when_supported" or "" => false,
                "when_required" => true,
                var other => throw Invalid($"s3 request_checksum must be when_supported or when_required, not '{other}'"),
            },
            NoCheckBucket = config.GetBool("no_check_bucket"),
            MultipartPassthrough = !config.IsSet("multipart_passthrough") || config.GetBool("multipart_passthrough"),
            ServerSideCopy = !config.IsSet("server_side_copy") || config.GetBool("server_side_copy"),
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="VfsErrorKind.Invalid"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (Endpoint is not null &&
            (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw Invalid($"s3 endpoint '{Endpoint}' is not an http:// or https:// URL");
        }

        if (!EnvAuth && (AccessKeyId is null) != (SecretAccessKey is null))
        {
            throw Invalid("s3 needs both access_key_id and secret_access_key (or env_auth = true for the AWS credential chain)");
        }

        if (!EnvAuth && AccessKeyId is null)
        {
            throw Invalid("s3 needs credentials: set access_key_id and secret_access_key (--s3-access-key-id, GATEWAY_S3_SECRET_ACCESS_KEY …), or env_auth = true for the AWS credential chain");
        }

        if (ChunkSize is < MinPartSize or > MaxPartSize)
        {
            throw Invalid($"s3 chunk_size must be 5 MiB-5 GiB, not {ChunkSize}");
        }

        // PutObject below the cutoff holds the object in memory; above 1 GiB that stops being "bounded".
        if (UploadCutoff is < 0 or > 1024 * MiB)
        {
            throw Invalid($"s3 upload_cutoff must be 0-1 GiB, not {UploadCutoff}");
        }

        if (UploadConcurrency is < 1 or > 64)
        {
            throw Invalid($"s3 upload_concurrency must be 1-64, not {UploadConcurrency}");
        }

        if (CopyCutoff is < MinPartSize or > MaxPartSize)
        {
            throw Invalid($"s3 copy_cutoff must be 5 MiB-5 GiB, not {CopyCutoff}");
        }

        if (ServerSideEncryption is not (null or "AES256" or "aws:kms" or "aws:kms:dsse"))
        {
            throw Invalid($"s3 server_side_encryption must be AES256, aws:kms or aws:kms:dsse, not '{ServerSideEncryption}'");
        }

        if (SseKmsKeyId is not null && ServerSideEncryption is not ("aws:kms" or "aws:kms:dsse"))
        {
            throw Invalid("s3 sse_kms_key_id needs server_side_encryption = aws:kms");
        }
    }

    /// <summary>"bucket/a/b" → ("bucket", "a/b"); "" → (null, ""): every bucket.</summary>
    internal static (string? Bucket, string Prefix) ParseRoot(string root)
    {
        var trimmed = root.Trim('/');
        if (trimmed.Length == 0)
        {
            return (null, string.Empty);
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? trimmed : trimmed[..slash];
        var prefix = slash < 0 ? string.Empty : trimmed[(slash + 1)..];
        if (bucket.Length is < 3 or > 63 || bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_')))
        {
            throw Invalid($"s3 bucket name '{bucket}' is not valid (3-63 characters: a-z, 0-9, '-', '.')");
        }

        // The prefix must itself be a canonical path, so every key the backend builds is one too.
        try
        {
            prefix = VfsPath.Parse(prefix).Value;
        }
        catch (VfsException e)
        {
            throw Invalid($"s3 path '{prefix}' is not valid: {e.Message}");
        }

        return (bucket, prefix);
    }

    /// <summary>A byte count: "8388608", "8M", "8MiB", "5G", "64k" (binary multiples).</summary>
    internal static long ParseSize(string? text, string option, long fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        var s = text.Trim();
        long multiplier = 1;
        var suffixes = new (string Suffix, long Multiplier)[]
        {
            ("KiB", 1024), ("MiB", MiB), ("GiB", 1024 * MiB), ("KB", 1024), ("MB", MiB), ("GB", 1024 * MiB),
            ("K", 1024), ("M", MiB), ("G", 1024 * MiB), ("B", 1),
        };
        foreach (var (suffix, m) in suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                multiplier = m;
                s = s[..^suffix.Length];
                break;
            }
        }

        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > long.MaxValue / multiplier)
        {
            throw Invalid($"s3 {option} '{text}' is not a size (e.g. 8M, 16MiB, 8388608)");
        }

        return value * multiplier;
    }

#pragma warning disable IDE0051 // called by the record's synthesized ToString: it keeps the secrets out of logs
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Bucket = {Bucket ?? "(all)"}, Prefix = {Prefix}, Endpoint = {Endpoint ?? "(aws)"}, Region = {Region}, ");
        builder.Append(CultureInfo.InvariantCulture, $"AccessKeyId = {AccessKeyId}, SecretAccessKey = {(SecretAccessKey is null ? "(none)" : "***")}, SessionToken = {(SessionToken is null ? "(none)" : "***")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"EnvAuth = {EnvAuth}, Profile = {Profile}, ForcePathStyle = {ForcePathStyle}, UploadCutoff = {UploadCutoff}, ChunkSize = {ChunkSize}, ");
        builder.Append(CultureInfo.InvariantCulture, $"UploadConcurrency = {UploadConcurrency}, CopyCutoff = {CopyCutoff}, StorageClass = {StorageClass}, ServerSideEncryption = {ServerSideEncryption}, ");
        builder.Append(CultureInfo.InvariantCulture, $"ChecksumWhenRequired = {ChecksumWhenRequired}, NoCheckBucket = {NoCheckBucket}, MultipartPassthrough = {MultipartPassthrough}, ServerSideCopy = {ServerSideCopy}");
        return true;
    }
#pragma warning restore IDE0051

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static VfsException Invalid(string message) => new(VfsErrorKind.Invalid, message);
}
