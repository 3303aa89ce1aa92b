using System.Collections.Concurrent;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// A counter metric with labels (Prometheus' CounterVec). <typeparamref name="TKey"/> is a value
/// tuple of the label values, so finding the counter of a request allocates nothing once the
/// label set exists.
/// </summary>
internal sealed class CounterFamily<TKey>(string name, string help, string[] labelNames, Func<TKey, string[]> labelValues)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Counter> _counters = new();

    public string Name => name;

    public Counter this[TKey key] => _counters.TryGetValue(key, out var counter) ? counter : _counters.GetOrAdd(key, static _ => new Counter());

    /// <summary>Writes the family, samples sorted by label values so scrapes are stable.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        writer.WriteFamily(name, "counter", help);
        var samples = _counters.Select(kv => (Labels: labelValues(kv.Key), kv.Value.Value)).ToList();
        samples.Sort((a, b) => CompareLabels(a.Labels, b.Labels));
        foreach (var (labels, value) in samples)
        {
            writer.WriteSample(name, labelNames, labels, value);
        }
    }

    private static int CompareLabels(string[] a, string[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
