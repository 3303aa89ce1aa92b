namespace VfsGateway.Vfs.Throttle;

/// <summary>
/// A token bucket for one direction of --bwlimit, shared by every transfer in that direction
/// (rclone keeps one per direction too). It starts empty and refills at the rate; after an idle
/// spell it holds at most a tenth of a second's worth, so a burst stays short. A caller takes the
/// bytes it has just moved and waits until the bucket is back at zero: the debt form of the
/// bucket (GCRA), which also lets a single request be larger than the bucket.
/// </summary>
/// <remarks>
/// Time is kept in the clock's timestamp ticks multiplied by the rate, so that the cost of n bytes
/// (n × frequency / rate ticks) is an exact integer and rounding never adds up over a transfer.
/// </remarks>
internal sealed class TokenBucket
{
    private const int BurstDivisor = 10;
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _origin;
    private readonly Lock _lock = new();

    // When the bucket is back at zero tokens, in timestamp ticks after _origin times the rate.
    private Int128 _zeroAt;
    private long _total;

    public TokenBucket(long bytesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        _time = time;
        _frequency = time.TimestampFrequency;
        _origin = time.GetTimestamp();
        BytesPerSecond = bytesPerSecond;
        ChunkSize = (int)Math.Clamp(bytesPerSecond / BurstDivisor, 4096, 1 << 30);
    }

    public long BytesPerSecond { get; }

    /// <summary>Bytes that passed through the bucket so far.</summary>
    public long TotalBytes => Interlocked.Read(ref _total);

    /// <summary>
    /// The largest read a throttled stream should make at once: a tenth of a second's worth (at
    /// least 4 KiB), so that a slow limit is kept smoothly instead of in big steps.
    /// </summary>
    public int ChunkSize { get; }

    /// <summary>Takes <paramref name="bytes"/> from the bucket and completes when they are paid for.</summary>
    public ValueTask TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= 0)
        {
            return ValueTask.CompletedTask;
        }

        Interlocked.Add(ref _total, bytes);
        Int128 wait;
        lock (_lock)
        {
            var now = (Int128)(_time.GetTimestamp() - _origin) * BytesPerSecond;
            var full = now - ((Int128)_frequency * BytesPerSecond / BurstDivisor);
            _zeroAt = Int128.Max(_zeroAt, full) + ((Int128)bytes * _frequency);
            wait = _zeroAt - now;
        }

        if (wait <= 0)
        {
            return ValueTask.CompletedTask;
        }

        // Back to clock ticks, then to whole milliseconds (what Task.Delay keeps of a TimeSpan),
        // rounding up both times: never wake early. Waking late costs nothing over a transfer:
        // the next take starts from the bucket's own time, not from the late wake-up.
        var clockTicks = (wait + BytesPerSecond - 1) / BytesPerSecond;
        var milliseconds = (long)(((clockTicks * 1000) + _frequency - 1) / _frequency);
        return new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(milliseconds), _time, cancellationToken));
    }
}
