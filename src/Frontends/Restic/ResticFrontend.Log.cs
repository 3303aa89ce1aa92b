using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Restic;

public sealed partial class ResticFrontend
{
    [LoggerMessage(Level = LogLevel.Information, Message = "quota: {Used} bytes in use (--max-size: {Max})")]
    private static partial void LogQuota(ILogger logger, long used, string max);

    [LoggerMessage(Level = LogLevel.Information, Message = "creating repository '{Repository}'")]
    private static partial void LogCreatingRepository(ILogger logger, string repository);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogServerError(ILogger logger, string method, string? path, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: {Status}: {Error}")]
    private static partial void LogRequestFailed(ILogger logger, string method, string? path, int status, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away: {Error}")]
    private static partial void LogClientGone(ILogger logger, string method, string? path, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path}: not a restic path ({Status})")]
    private static partial void LogBadPath(ILogger logger, string method, string? path, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path}: upload refused at {Length} bytes: it exceeds {Limit}")]
    private static partial void LogOverQuota(ILogger logger, string path, long length, QuotaLimit limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Path} exists; the upload is identical: {Identical}")]
    private static partial void LogExistingUpload(ILogger logger, string path, bool identical);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: the ACL does not allow it for user '{User}'")]
    private static partial void LogAclDenied(ILogger logger, string user, string method, string? path);
}
