namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>Extension names announced in SSH_FXP_VERSION that the client uses (OpenSSH PROTOCOL file).</summary>
internal static class SftpExtensionNames
{
    /// <summary>rename(2) semantics: atomically replaces the target, which plain v3 RENAME refuses to do.</summary>
    public const string PosixRename = "posix-rename@openssh.com";

    public const string Fsync = "fsync@openssh.com";

    public const string StatVfs = "statvfs@openssh.com";

    public const string Limits = "limits@openssh.com";

    /// <summary>Server-side copy between two open handles (draft-ietf-secsh-filexfer-extensions-00 §7).</summary>
    public const string CopyData = "copy-data";
}
