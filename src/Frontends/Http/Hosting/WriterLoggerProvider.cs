using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>Writes every log event through <see cref="GatewayLogFormatter"/> to one writer (stderr), one whole line at a time.</summary>
internal sealed class WriterLoggerProvider(GatewayLogFormatter formatter, TextWriter output) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var line = new StringWriter();
        formatter.Write(entry, null, line);
        lock (_lock)
        {
            output.Write(line.ToString());
            output.Flush();
        }
    }

    private sealed class Logger(WriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}
