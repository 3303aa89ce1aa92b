using Microsoft.Extensions.Logging;

namespace VfsGateway.Vfs.Cache;

internal static partial class CacheLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "vfs cache in {Directory}: {Dirty} dirty item(s) ({Bytes} bytes) queued for upload, {Clean} clean item(s)")]
    public static partial void Recovered(ILogger logger, string directory, int dirty, long bytes, int clean);

    [LoggerMessage(Level = LogLevel.Error, Message = "vfs cache: lost {Path}: {Reason}")]
    public static partial void Lost(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "upload of {Path} failed (attempt {Attempt}), retrying in {Delay}: {Error}")]
    public static partial void UploadRetry(ILogger logger, string path, int attempt, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "uploaded {Path} ({Size} bytes)")]
    public static partial void Uploaded(ILogger logger, string path, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "vfs cache: upload queue drained, every write is in the backend")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vfs cache: stopping with {Dirty} dirty item(s) still queued; they are uploaded after the next start")]
    public static partial void StoppedWithDirty(ILogger logger, long dirty);

    [LoggerMessage(Level = LogLevel.Information, Message = "vfs cache: evicted {Path} ({Bytes} bytes, {Reason})")]
    public static partial void EvictedItem(ILogger logger, string path, long bytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vfs cache: cache directory is full, evicting clean items and retrying")]
    public static partial void NoSpace(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "vfs cache: {Operation} failed: {Error}")]
    public static partial void BackgroundError(ILogger logger, string operation, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "vfs cache: cached copy of {Path} is stale (the backend object changed), discarding it")]
    public static partial void Stale(ILogger logger, string path);
}
