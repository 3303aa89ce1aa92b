using Microsoft.Extensions.Logging;

namespace VfsGateway.Backends.Sftp;

/// <summary>The sftp backend's log messages (source-generated; never a password).</summary>
internal static partial class SftpLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "ssh {Destination}: {Line}")]
    public static partial void SshStderr(ILogger logger, string destination, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "sftp connection to {Destination} opened (pid {Pid}, extensions: {Extensions})")]
    public static partial void ConnectionOpened(ILogger logger, string destination, int pid, string extensions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sftp connection to {Destination} lost, it will be replaced on next use: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string destination, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sftp {Destination}: skipping '{Name}' in '{Directory}': {Reason}")]
    public static partial void SkippedEntry(ILogger logger, string destination, string name, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "sftp {Destination}: cleanup of {What} failed: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string destination, string what, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "sftp {Destination}: cannot fsync directories ({Error}); renames are not fsynced")]
    public static partial void DirectoryFsyncUnsupported(ILogger logger, string destination, string error);
}
