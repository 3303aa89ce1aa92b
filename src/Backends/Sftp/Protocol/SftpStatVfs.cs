namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>The reply of statvfs@openssh.com: struct statvfs as eleven uint64 fields.</summary>
internal sealed record SftpStatVfs(
    ulong BlockSize,
    ulong FragmentSize,
    ulong Blocks,
    ulong FreeBlocks,
    ulong AvailableBlocks,
    ulong Files,
    ulong FreeFiles,
    ulong AvailableFiles,
    ulong FileSystemId,
    ulong Flags,
    ulong NameMax);
