namespace VfsGateway.Backends.Sftp.Protocol;

/// <summary>One entry of an SSH_FXP_NAME reply (the longname is dropped: its format is unspecified).</summary>
internal readonly record struct SftpName(string FileName, SftpAttributes Attributes);
