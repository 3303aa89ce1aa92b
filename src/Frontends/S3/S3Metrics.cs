using Microsoft.AspNetCore.Http;
using Prometheus;
using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// Prometheus counters of the S3 frontend, labelled by operation (the S3 API action name, or
/// "Unknown" for requests that never reached one), plus the Vfs cache figures and a request-duration
/// histogram (<see cref="GatewayMetrics"/>). Errors carry the S3 error code; both label sets are
/// small and fixed, so the number of series stays bounded.
/// </summary>
internal sealed class S3Metrics
{
    public const string Path = "/_gateway/metrics";

    private static readonly string[] OperationLabel = ["operation"];

    private readonly GatewayMetrics _gateway;
    private readonly Counter _errorsByCode;
    private readonly Counter _received;
    private readonly Counter _requests;
    private readonly Counter _sent;

    public S3Metrics(Func<VfsCacheStats> cacheStats)
    {
        _gateway = new GatewayMetrics("s3", cacheStats);
        var factory = _gateway.Factory;
        _errorsByCode = factory.CreateCounter("s3_errors_total", "S3 requests answered with an error, by operation and S3 error code", ["operation", "code"]);
        _received = factory.CreateCounter("s3_received_bytes_total", "Request body bytes received, by operation", OperationLabel);
        _requests = factory.CreateCounter("s3_requests_total", "S3 requests handled, by operation", OperationLabel);
        _sent = factory.CreateCounter("s3_sent_bytes_total", "Response body bytes sent, by operation", OperationLabel);
    }

    /// <summary>The registry's owner, for the status page (which reads a scrape of it).</summary>
    public GatewayMetrics Gateway => _gateway;

    /// <summary>Counts one answered request that started at <paramref name="startTimestamp"/> (Stopwatch.GetTimestamp()).</summary>
    public void Record(string operation, string? errorCode, long received, long sent, long startTimestamp)
    {
        _requests.WithLabels(operation).Inc();
        if (errorCode is not null)
        {
            _errorsByCode.WithLabels(operation, errorCode).Inc();
        }

        if (received > 0)
        {
            _received.WithLabels(operation).Inc(received);
        }

        if (sent > 0)
        {
            _sent.WithLabels(operation).Inc(sent);
        }

        _gateway.ObserveRequest(operation, startTimestamp);
    }

    /// <summary>Answers an authorized scrape (GET or HEAD).</summary>
    public Task WriteAsync(HttpContext context) => _gateway.WriteAsync(context);
}
