using VfsGateway.Frontends.Http.Status;

namespace VfsGateway.Frontends.S3;

/// <summary>The S3 frontend's options (rclone serve s3's flags).</summary>
public sealed record S3Options
{
    /// <summary>Access key pairs that may sign requests (--auth-key ACCESS,SECRET, repeatable).</summary>
    public IReadOnlyList<S3AccessKey> AuthKeys { get; init; } = [];

    /// <summary>Serve without authentication; without it the server refuses to start when there are no keys.</summary>
    public bool NoAuth { get; init; }

    /// <summary>Only path-style requests (http://host/bucket/key); when false, virtual-host style (bucket.BaseDomain) is also accepted.</summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>The domain under which virtual-host style buckets live (bucket.example.com → "example.com").</summary>
    public string? BaseDomain { get; init; }

    /// <summary>How ETags of uploaded objects are made.</summary>
    public S3EtagHash EtagHash { get; init; } = S3EtagHash.Md5;

    /// <summary>Where multipart upload parts are staged on local disk; defaults to a folder under the system temp directory.</summary>
    public string? CacheDir { get; init; }

    /// <summary>Incomplete multipart uploads older than this are removed.</summary>
    public TimeSpan MultipartExpiry { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Keep directories that a delete leaves empty (by default they are removed up to the bucket, since an S3 prefix exists only while objects live under it).</summary>
    public bool NoCleanup { get; init; }

    /// <summary>
    /// Serve Prometheus metrics at <c>/_gateway/metrics</c> (path-style host only): a path no bucket
    /// can shadow, since bucket names cannot contain '_'.
    /// </summary>
    public bool Prometheus { get; init; }

    /// <summary>The metrics path needs no credentials (by default: HTTP Basic with an --auth-key pair, unless the server runs with --no-auth).</summary>
    public bool PrometheusNoAuth { get; init; }

    /// <summary>--status-page: serve /_gateway/status and /_gateway/status.json (path-style host only, behind the metrics' authentication); null for none.</summary>
    public StatusPageInfo? StatusPage { get; init; }
}
