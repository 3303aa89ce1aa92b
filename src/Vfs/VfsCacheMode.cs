namespace VfsGateway.Vfs;

/// <summary>rclone's --vfs-cache-mode.</summary>
public enum VfsCacheMode
{
    /// <summary>Reads and writes stream straight to the backend; success means "stored in the backend".</summary>
    Off,
    Writes,
    Full,
}
