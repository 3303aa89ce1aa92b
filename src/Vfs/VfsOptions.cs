namespace VfsGateway.Vfs;

/// <summary>Options of the Vfs layer (rclone's --vfs-* and --dir-cache-time flags).</summary>
public sealed record VfsOptions
{
    public VfsCacheMode CacheMode { get; init; } = VfsCacheMode.Off;

    public static VfsOptions Default { get; } = new();
}
