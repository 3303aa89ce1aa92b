namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>SSH_FILEXFER_ATTR_* flags that say which fields an ATTRS block carries (§5).</summary>
[Flags]
internal enum SftpAttributeFlags : uint
{
    None = 0,
    Size = 0x01,
    UidGid = 0x02,
    Permissions = 0x04,
    AccessModTime = 0x08,
    Extended = 0x80000000,
}
