using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs.Cache;

/// <summary>Keeps every log line, so tests can check what an operator would see.</summary>
internal sealed class ListLogger : ILogger<VirtualFileSystem>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));
}
