using Microsoft.Extensions.Logging;

namespace VfsGateway.Backends.Ftp;

/// <summary>The ftp backend's log messages (source-generated; never a password).</summary>
internal static partial class FtpLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "ftp connected to {Destination} (tls: {Tls}, features: {Features})")]
    public static partial void Connected(ILogger logger, string destination, string tls, string features);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ftp {Destination}: a connection broke; discarding it and {Idle} idle one(s), fresh logins follow")]
    public static partial void ConnectionDiscarded(ILogger logger, string destination, int idle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ftp {Destination}: skipping '{Name}' in '{Directory}': {Reason}")]
    public static partial void SkippedEntry(ILogger logger, string destination, string name, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ftp {Destination}: cleanup of {What} failed: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string destination, string what, string error);
}
