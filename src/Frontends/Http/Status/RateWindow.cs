namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// Turns counter totals into per-second rates over the last <see cref="Window"/>: each status
/// request leaves a sample (at most one a second), and a rate compares the totals now with the
/// newest sample that is at least a window old (else the oldest, at first the frontend's start,
/// when every counter was 0). Only the samples still needed are kept: about one per second of the window.
/// </summary>
internal sealed class RateWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(1);

    private readonly List<(DateTimeOffset At, IReadOnlyDictionary<string, double> Totals)> _samples;
    private readonly TimeProvider _time;
    private readonly object _lock = new();

    public RateWindow(TimeProvider time)
    {
        _time = time;
        _samples = [(time.GetUtcNow(), new Dictionary<string, double>(StringComparer.Ordinal))];
    }

    /// <summary>Rates of every total (a total missing from the older sample counts from 0), and the seconds they cover.</summary>
    public (Dictionary<string, double> Rates, double Seconds) Advance(IReadOnlyDictionary<string, double> totals)
    {
        var now = _time.GetUtcNow();
        (DateTimeOffset At, IReadOnlyDictionary<string, double> Totals) reference;
        lock (_lock)
        {
            reference = _samples[0];
            for (var i = _samples.Count - 1; i >= 0; i--)
            {
                if (_samples[i].At <= now - Window)
                {
                    reference = _samples[i];
                    break;
                }
            }

            if (now - _samples[^1].At >= MinSpacing)
            {
                _samples.Add((now, totals));
            }

            while (_samples.Count > 1 && _samples[1].At <= now - Window)
            {
                _samples.RemoveAt(0);
            }
        }

        var seconds = (now - reference.At).TotalSeconds;
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in totals)
        {
            var before = reference.Totals.TryGetValue(key, out var b) ? b : 0;
            rates[key] = seconds > 0 ? Math.Max(0, value - before) / seconds : 0;
        }

        return (rates, seconds);
    }
}
