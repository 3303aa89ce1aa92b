using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// The --acl file: loaded at start (a bad file stops the server with the line at fault), then
/// re-read when its text changes (looked at, at most every <see cref="CheckInterval"/>, on the next
/// request) and at once on SIGHUP. A file that cannot be read or parsed at a reload keeps the
/// previous rules and is logged.
/// </summary>
internal sealed partial class ResticAclFile(string path, ILogger logger, TimeProvider? time = null) : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Loaded? _current;
    private long _nextCheck;
    private int _checking;

    public ResticAcl Current
    {
        get
        {
            CheckForChanges();
            return Volatile.Read(ref _current)!.Acl;
        }
    }

    public void Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayStartupException($"cannot read the ACL file {path}: {e.Message}", e);
        }

        try
        {
            Install(text);
        }
        catch (FormatException e)
        {
            throw new GatewayStartupException($"the ACL file {path} is not valid: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        // nothing to release: SIGHUP reaches Reload through the host (IReloadableFrontend)
    }

    private void CheckForChanges()
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextCheck) || Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextCheck, now + (long)(CheckInterval.TotalSeconds * _time.TimestampFrequency));
            Reload();
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    /// <summary>Re-reads the file (on SIGHUP, through the host, and at most every <see cref="CheckInterval"/> on use); false when it could not be read or parsed (the old rules stay).</summary>
    public bool Reload()
    {
        try
        {
            var text = File.ReadAllText(path);
            if (text != Volatile.Read(ref _current)?.Text)
            {
                Install(text);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            LogReloadFailed(logger, path, e.Message);
            return false;
        }
    }

    private void Install(string text)
    {
        var acl = ResticAcl.Parse(text);
        Volatile.Write(ref _current, new Loaded(text, acl));
        LogLoaded(logger, path, acl.RuleCount);
    }

    private sealed record Loaded(string Text, ResticAcl Acl);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACL file {Path} loaded: {Rules} rules")]
    private static partial void LogLoaded(ILogger logger, string path, int rules);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACL file {Path} not reloaded, the previous rules stay: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);
}
