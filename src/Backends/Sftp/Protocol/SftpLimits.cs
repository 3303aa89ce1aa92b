namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>The server's limits (limits@openssh.com reply; 0 means "no limit").</summary>
internal sealed record SftpLimits(ulong MaxPacketLength, ulong MaxReadLength, ulong MaxWriteLength, ulong MaxOpenHandles);
