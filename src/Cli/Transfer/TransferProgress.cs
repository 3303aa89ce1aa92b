using System.Diagnostics;
using System.Globalization;
using VfsGateway.Cli.Parsing;
using VfsGateway.Frontends.Http;

namespace VfsGateway.Cli.Transfer;

/// <summary>
/// Counters of a copy or sync and what stderr shows of them (see <see cref="ProgressMode"/>): on a
/// terminal, one status line redrawn twice a second (bytes, percentage, rate, ETA, files) with
/// "Copied: path" / "Deleted: path" lines scrolling above it, as rclone's -P does.
/// </summary>
internal sealed class TransferProgress : IAsyncDisposable
{
    private const string ClearLine = "\r\u001b[K";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly TextWriter _error;
    private readonly ProgressMode _mode;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticker;
    private long _bytes;
    private long _totalBytes;
    private int _totalFiles;
    private int _copied;
    private int _deleted;
    private int _errors;
    private double _rate;
    private long _lastBytes;
    private TimeSpan _lastTime;
    private bool _statusShown;

    public TransferProgress(TextWriter error, ProgressMode mode)
    {
        _error = error;
        _mode = mode;
        _ticker = mode == ProgressMode.Live ? TickAsync() : Task.CompletedTask;
    }

    public int Copied => Volatile.Read(ref _copied);

    public int Deleted => Volatile.Read(ref _deleted);

    public int Errors => Volatile.Read(ref _errors);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Source files found equal in the destination (by the plan, or by hashing).</summary>
    public int Unchanged { get; set; }

    /// <summary>What is left to do, once the plan is known.</summary>
    public void SetTotals(long bytes, int files)
    {
        Interlocked.Exchange(ref _totalBytes, bytes);
        Volatile.Write(ref _totalFiles, files);
    }

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    /// <summary>A file turned out equal after hashing: it leaves the totals.</summary>
    public void Skipped(long size)
    {
        Interlocked.Add(ref _totalBytes, -size);
        Interlocked.Decrement(ref _totalFiles);
        lock (_lock)
        {
            Unchanged++;
        }
    }

    /// <summary>A failed attempt's bytes do not count (the retry reads them again).</summary>
    public void Rewind(long count) => Interlocked.Add(ref _bytes, -count);

    /// <param name="path">The file.</param>
    /// <param name="announce">False in a dry run: stdout already says "Would copy".</param>
    public void FileCopied(string path, bool announce = true)
    {
        Interlocked.Increment(ref _copied);
        if (announce)
        {
            Line($"Copied: {path}");
        }
    }

    public void FileDeleted(string path, bool announce = true)
    {
        Interlocked.Increment(ref _deleted);
        if (announce)
        {
            Line($"Deleted: {path}");
        }
    }

    /// <summary>An error line, shown in every mode.</summary>
    public void Error(string message)
    {
        Interlocked.Increment(ref _errors);
        lock (_lock)
        {
            Write($"gateway: {message}{Environment.NewLine}");
        }
    }

    /// <summary>The one line every mode but quiet ends with: "copy: 2 files copied (1.500 KiB), 3 unchanged, 1 deleted, 0 errors in 0.4s (3.750 KiB/s)".</summary>
    public string Summary(string verb, bool dryRun)
    {
        var elapsed = _clock.Elapsed;
        var rate = elapsed.TotalSeconds > 0 && !dryRun ? Bytes / elapsed.TotalSeconds : 0;
        var files = Copied == 1 ? "file" : "files";
        var (copied, deleted) = dryRun ? ("to copy", "to delete") : ("copied", "deleted");
        var deletes = Deleted > 0 ? $", {Deleted} {deleted}" : string.Empty;
        var speed = dryRun ? " (dry run)" : string.Create(CultureInfo.InvariantCulture, $" in {elapsed.TotalSeconds:0.0}s ({ByteSize.Human(rate)}/s)");
        return $"{verb}: {Copied} {files} {copied} ({ByteSize.Human(Bytes)}), {Unchanged} unchanged{deletes}, {Errors} errors{speed}";
    }

    /// <summary>Stops the status line and prints the summary (unless quiet).</summary>
    public async ValueTask FinishAsync(string verb, bool dryRun)
    {
        await StopTickerAsync().ConfigureAwait(false);
        if (_mode != ProgressMode.Quiet)
        {
            lock (_lock)
            {
                Write(Summary(verb, dryRun) + Environment.NewLine);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopTickerAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The status line: "Transferred: 1.500 MiB / 3.000 MiB, 50%, 1.000 MiB/s, ETA 2s (3/6 files)".</summary>
    internal static string Status(long bytes, long totalBytes, double rate, int done, int totalFiles)
    {
        var percent = totalBytes > 0 ? Math.Min(100, bytes * 100 / totalBytes) : 100;
        var eta = rate > 0 && totalBytes > bytes ? FormatEta(TimeSpan.FromSeconds((totalBytes - bytes) / rate)) : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Transferred: {ByteSize.Human(bytes)} / {ByteSize.Human(totalBytes)}, {percent}%, {ByteSize.Human(rate)}/s, ETA {eta} ({done}/{totalFiles} files)");
    }

    internal static string FormatEta(TimeSpan eta) =>
        eta.TotalHours >= 1 ? $"{(int)eta.TotalHours}h{eta.Minutes:00}m"
        : eta.TotalMinutes >= 1 ? $"{eta.Minutes}m{eta.Seconds:00}s"
        : $"{Math.Ceiling(eta.TotalSeconds):0}s";

    private void Line(string text)
    {
        if (_mode != ProgressMode.Live)
        {
            return;
        }

        lock (_lock)
        {
            Write(text + Environment.NewLine);
            DrawStatus();
        }
    }

    /// <summary>Writes above the status line (which the caller redraws). Under the lock.</summary>
    private void Write(string text)
    {
        if (_statusShown)
        {
            _error.Write(ClearLine);
            _statusShown = false;
        }

        _error.Write(text);
        _error.Flush();
    }

    private void DrawStatus()
    {
        _error.Write(ClearLine + Status(Bytes, Interlocked.Read(ref _totalBytes), _rate, Copied, Volatile.Read(ref _totalFiles)));
        _error.Flush();
        _statusShown = true;
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    // A moving average over the last few seconds: steady, yet it follows a slowdown.
                    var now = _clock.Elapsed;
                    var bytes = Bytes;
                    var instant = (bytes - _lastBytes) / Math.Max(0.001, (now - _lastTime).TotalSeconds);
                    _rate = _lastTime == TimeSpan.Zero ? instant : (0.7 * _rate) + (0.3 * instant);
                    _lastBytes = bytes;
                    _lastTime = now;
                    DrawStatus();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task StopTickerAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _ticker.ConfigureAwait(false);
        lock (_lock)
        {
            if (_statusShown)
            {
                _error.Write(ClearLine);
                _error.Flush();
                _statusShown = false;
            }
        }
    }
}
