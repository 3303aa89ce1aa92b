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

    // Queued by Reopen: a reference the drain loop recognizes (never a real line).
    private static readonly string ReopenMarker = new('\0', 1);

    private readonly bool _ownsWriter;
    private readonly string? _path;
    private readonly Task _drain;
    private TextWriter _writer;

    public AccessLogWriter(TextWriter writer, bool ownsWriter, string? path = null)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _path = path;
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
            return new AccessLogWriter(OpenFile(target), ownsWriter: true, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new GatewayStartupException($"cannot open the access log '{target}': {e.Message}", e);
        }
    }

    /// <summary>
    /// After logrotate moved the file away (SIGHUP, its postrotate step): lines written so far go to
    /// the old file, later ones to a new file at the same path. No-op for "-".
    /// </summary>
    public void Reopen()
    {
        if (_path is not null)
        {
            _queue.Writer.TryWrite(ReopenMarker);
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
                if (ReferenceEquals(line, ReopenMarker))
                {
                    await ReopenNowAsync().ConfigureAwait(false);
                    continue;
                }

                await _writer.WriteLineAsync(line).ConfigureAwait(false);
            }

            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }

    private static StreamWriter OpenFile(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous,
        });
        return new StreamWriter(stream, new UTF8Encoding(false));
    }

    private async Task ReopenNowAsync()
    {
        TextWriter next;
        try
        {
            next = OpenFile(_path!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Keep writing to the old file rather than losing lines; the next SIGHUP tries again.
            await Console.Error.WriteLineAsync($"gateway: cannot reopen the access log '{_path}': {e.Message}").ConfigureAwait(false);
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = next;
    }
}
