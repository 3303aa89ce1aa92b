using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Prometheus;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.Http.Metrics;

/// <summary>
/// One frontend's Prometheus metrics (prometheus-net, in a registry of its own): the Vfs cache
/// figures, a request-duration histogram by frontend and operation, and whatever counters the
/// frontend adds through <see cref="Factory"/>. A scrape writes the process and runtime
/// figures (<see cref="RuntimeMetrics"/>) first, then these. Auth stays with the frontend.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Histogram _duration;
    private readonly string _frontend;

    public GatewayMetrics(string frontend, Func<VfsCacheStats> cacheStats)
    {
        ArgumentNullException.ThrowIfNull(cacheStats);
        _frontend = frontend;
        Factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        VfsCacheMetrics.Register(_registry, Factory, cacheStats);
        _duration = Factory.CreateHistogram(
            "gateway_request_duration_seconds",
            "Time from the start of a request to its last response byte, by frontend and operation",
            ["frontend", "operation"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 17) }); // 1 ms .. 65 s
    }

    public IMetricFactory Factory { get; }

    /// <summary>Records one request that started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void ObserveRequest(string operation, long startTimestamp) =>
        _duration.WithLabels(_frontend, operation).Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    /// <summary>The scrape text (process and runtime figures, then this frontend's).</summary>
    public async Task<byte[]> CollectAsync(CancellationToken cancellationToken)
    {
        // A scrape is a few kilobytes of our own text, not user data: built whole so Content-Length is known.
        using var buffer = new MemoryStream();
        await RuntimeMetrics.Registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
        await _registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Answers a scrape that the frontend has authorized (GET or HEAD).</summary>
    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bytes = await CollectAsync(context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.ContentType = ContentType;
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
