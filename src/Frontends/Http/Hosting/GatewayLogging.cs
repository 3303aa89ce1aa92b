using Microsoft.Extensions.Logging;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// The process's diagnostic logging: everything to stderr (in --stdio mode stdout carries the
/// protocol) through <see cref="GatewayLogFormatter"/>, Information by default. ASP.NET Core's own
/// chatter (lifetime messages, per-request info) is kept to warnings unless debugging, and the
/// generic host's "Hosting failed to start" error is dropped: the gateway reports a failed start
/// itself, in one line ("gateway: cannot listen on …: address already in use").
/// </summary>
internal static class GatewayLogging
{
    public static ILoggerFactory CreateLoggerFactory(bool debug, bool quiet = false) =>
        CreateLoggerFactory(debug ? LogLevel.Debug : quiet ? LogLevel.Warning : LogLevel.Information, json: false);

    public static ILoggerFactory CreateLoggerFactory(LogLevel level, bool json, TextWriter? output = null) =>
        LoggerFactory.Create(builder =>
        {
            // Console.Error is synchronized and autoflushed: a line is on stderr before the next one starts.
            builder.AddProvider(new WriterLoggerProvider(new GatewayLogFormatter(json, stacks: level <= LogLevel.Debug), output ?? Console.Error));
            builder.SetMinimumLevel(level);
            if (level > LogLevel.Debug)
            {
                builder.AddFilter("Microsoft", LogLevel.Warning);
            }

            builder.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        });

    /// <summary>Parses --log-level's value (trace, debug, info, warn, error).</summary>
    public static bool TryParseLevel(string? value, out LogLevel level)
    {
        level = value?.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.None,
        };
        return level != LogLevel.None;
    }
}
