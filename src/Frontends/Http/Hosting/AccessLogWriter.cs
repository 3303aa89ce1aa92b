using System.Text;
using System.Threading.Channels;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// Appends access-log lines to a file or a standard stream from one background task, so that a
/// request never waits for log I/O (unless the queue is full, which then slows requests down rather
/// than dropping lines). Lines are flushed whenever the queue runs empty.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    private const int QueueCapacity = 8192;
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly Task _drain;

    public AccessLogWriter(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>
    /// Opens the log target: "-" is <paramref name="standardStream"/> (stdout, or stderr in --stdio
    /// mode where stdout carries the protocol), anything else a file appended to (created if missing).
    /// </summary>
    public static AccessLogWriter Open(string target, TextWriter standardStream)
    {
        if (target == "-")
        {
            return new AccessLogWriter(standardStream, ownsWriter: false);
        }

        try
        {
            var stream = new FileStream(target, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous,
            });
            return new AccessLogWriter(new StreamWriter(stream, new UTF8Encoding(false)), ownsWriter: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GatewayStartupException($"cannot open the access log '{target}': {e.Message}", e);
        }
    }

    public ValueTask WriteLineAsync(string line) =>
        _queue.Writer.TryWrite(line) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(line);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drain.ConfigureAwait(false);
        if (_ownsWriter)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var line))
            {
                await _writer.WriteLineAsync(line).ConfigureAwait(false);
            }

            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }
}
