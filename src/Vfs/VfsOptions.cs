namespace VfsGateway.Vfs;

/// <summary>Options of the Vfs layer (rclone's --vfs-* and --dir-cache-time flags, same names and defaults).</summary>
public sealed record VfsOptions
{
    /// <summary>--vfs-cache-mode: off (default), writes or full.</summary>
    public VfsCacheMode CacheMode { get; init; } = VfsCacheMode.Off;

    /// <summary>--cache-dir: where cache files live (default ~/.cache/gateway). Unused in mode off.</summary>
    public string CacheDir { get; init; } = DefaultCacheDir();

    /// <summary>
    /// The remote this Vfs serves (for example "sftp:backup@nas/srv"). When set, the cache lives in
    /// CacheDir/vfs/&lt;encoded name&gt; (rclone's layout), so gateways for different remotes can share
    /// one CacheDir; when null, CacheDir itself is used.
    /// </summary>
    public string? RemoteName { get; init; }

    /// <summary>--vfs-write-back: how long a written file waits in the cache before its upload starts.</summary>
    public TimeSpan WriteBack { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>--vfs-cache-max-size: clean cached data beyond this many bytes is evicted (null: no limit).</summary>
    public long? CacheMaxSize { get; init; }

    /// <summary>--vfs-cache-max-age: clean cached data not accessed for this long is evicted.</summary>
    public TimeSpan CacheMaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>--vfs-cache-poll-interval: how often eviction runs.</summary>
    public TimeSpan CachePollInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>--dir-cache-time: how long a directory listing is served from memory (zero disables the dir cache).</summary>
    public TimeSpan DirCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>--transfers: uploads running at the same time.</summary>
    public int Transfers { get; init; } = 4;

    /// <summary>--vfs-read-chunk-size: in mode full, missing data is fetched from the backend in chunks of at least this size (read-ahead).</summary>
    public long ReadChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// --bwlimit: the most bytes per second between the gateway and the backend, per direction,
    /// shared by all transfers. Reads served from the cache and server-side copies are not limited.
    /// </summary>
    public BandwidthLimit BwLimit { get; init; } = BandwidthLimit.Off;

    /// <summary>How long disposing the Vfs waits for running uploads before it leaves them queued for the next start.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry delay of a failed upload; it doubles on every failure up to <see cref="MaxUploadRetryDelay"/>.</summary>
    public TimeSpan UploadRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts of a failing upload (retries never stop).</summary>
    public TimeSpan MaxUploadRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often leftover temp files of interrupted uploads are swept on backends with partial
    /// uploads (<see cref="TempSweeper"/>); null (the default for embedders and tests) sweeps never.
    /// When set, <see cref="VirtualFileSystem.CreateAsync"/> also sweeps every temp name once before returning.
    /// </summary>
    public TimeSpan? TempSweepInterval { get; init; }

    /// <summary>A temp file is a leftover for the periodic sweep once unmodified this long (a live upload keeps writing to it).</summary>
    public TimeSpan TempSweepAge { get; init; } = TimeSpan.FromHours(6);

    public static VfsOptions Default { get; } = new();

    /// <summary>The cache directory actually used: <see cref="CacheDir"/>, or CacheDir/vfs/&lt;encoded remote&gt;.</summary>
    public string ResolvedCacheDirectory => RemoteName is null
        ? Path.GetFullPath(CacheDir)
        : Path.Combine(Path.GetFullPath(CacheDir), "vfs", Cache.CacheNames.EncodeRemote(RemoteName));

    /// <summary>Throws <see cref="VfsErrorKind.Invalid"/> for values that cannot work.</summary>
    public void Validate()
    {
        if (CacheMode != VfsCacheMode.Off && string.IsNullOrWhiteSpace(CacheDir))
        {
            throw new VfsException(VfsErrorKind.Invalid, "--cache-dir must not be empty");
        }

        if (Transfers < 1)
        {
            throw new VfsException(VfsErrorKind.Invalid, $"--transfers must be at least 1 (got {Transfers})");
        }

        if (WriteBack < TimeSpan.Zero || DirCacheTime < TimeSpan.Zero || CacheMaxAge < TimeSpan.Zero)
        {
            throw new VfsException(VfsErrorKind.Invalid, "durations must not be negative");
        }

        if (CachePollInterval <= TimeSpan.Zero || UploadRetryDelay <= TimeSpan.Zero || MaxUploadRetryDelay < UploadRetryDelay)
        {
            throw new VfsException(VfsErrorKind.Invalid, "--vfs-cache-poll-interval and the upload retry delays must be positive");
        }

        if (CacheMaxSize is < 0 || ReadChunkSize < 4096)
        {
            throw new VfsException(VfsErrorKind.Invalid, "--vfs-cache-max-size must not be negative and --vfs-read-chunk-size must be at least 4 KiB");
        }

        if (BwLimit is null || BwLimit.UploadBytesPerSecond is <= 0 || BwLimit.DownloadBytesPerSecond is <= 0)
        {
            throw new VfsException(VfsErrorKind.Invalid, "--bwlimit rates must be positive (or off)");
        }
    }

    private static string DefaultCacheDir()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var baseDir = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache");
        return Path.Combine(baseDir, "gateway");
    }
}
