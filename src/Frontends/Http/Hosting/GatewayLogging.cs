using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// The process's diagnostic logging: everything to stderr (in --stdio mode stdout carries the
/// protocol), Information by default, Debug with --debug. ASP.NET Core's own chatter (lifetime
/// messages, per-request info) is kept to warnings unless debugging.
/// </summary>
internal static class GatewayLogging
{
    public static ILoggerFactory CreateLoggerFactory(bool debug, bool quiet = false) =>
        LoggerFactory.Create(builder =>
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                o.ColorBehavior = LoggerColorBehavior.Default;
            });
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.SetMinimumLevel(debug ? LogLevel.Debug : quiet ? LogLevel.Warning : LogLevel.Information);
            if (!debug)
            {
                builder.AddFilter("Microsoft", LogLevel.Warning);
            }
        });
}
