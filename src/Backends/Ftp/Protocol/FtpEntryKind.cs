namespace VfsGateway.Backends.Ftp.Protocol;

internal enum FtpEntryKind
{
    File,
    Directory,
    Symlink,
}
