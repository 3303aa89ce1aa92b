namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>
/// The server's limits (limits@openssh.com reply; 0 means "no limit"). Without the extension we
/// assume the 32 KiB that every server must accept (draft-ietf-secsh-filexfer-02 §3: "all servers
/// SHOULD support packets of at least 34000 bytes").
/// </summary>
internal sealed record SftpLimits(ulong MaxPacketLength, ulong MaxReadLength, ulong MaxWriteLength, ulong MaxOpenHandles)
{
    public static SftpLimits Default { get; } = new(34000, 32768, 32768, 0);
}
