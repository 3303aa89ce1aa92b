namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>A v3 ATTRS block; fields whose flag is absent are zero.</summary>
internal readonly record struct SftpAttributes(
    SftpAttributeFlags Flags,
    ulong Size = 0,
    uint Uid = 0,
    uint Gid = 0,
    uint Permissions = 0,
    uint ATime = 0,
    uint MTime = 0)
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint DirectoryType = 0x4000;
    private const uint RegularType = 0x8000;
    private const uint SymlinkType = 0xA000;

    public static SftpAttributes Empty => default;

    public bool HasPermissions => (Flags & SftpAttributeFlags.Permissions) != 0;

    public bool IsDirectory => HasPermissions && (Permissions & TypeMask) == DirectoryType;

    public bool IsSymlink => HasPermissions && (Permissions & TypeMask) == SymlinkType;

    public bool IsRegularFile => HasPermissions && (Permissions & TypeMask) == RegularType;

    public long Length => (Flags & SftpAttributeFlags.Size) != 0 ? (long)Math.Min(Size, long.MaxValue) : 0;

    public DateTimeOffset ModTime =>
        (Flags & SftpAttributeFlags.AccessModTime) != 0 ? DateTimeOffset.FromUnixTimeSeconds(MTime) : DateTimeOffset.UnixEpoch;

    /// <summary>Attributes that set only atime and mtime (v3 carries whole seconds as uint32).</summary>
    public static SftpAttributes ForModTime(DateTimeOffset time)
    {
        var seconds = (uint)Math.Clamp(time.ToUnixTimeSeconds(), 0, uint.MaxValue);
        return new SftpAttributes(SftpAttributeFlags.AccessModTime, ATime: seconds, MTime: seconds);
    }
}
