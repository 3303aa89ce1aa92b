using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// Prometheus counters of the S3 frontend, labelled by operation (the S3 API action name, or
/// "Unknown" for requests that never reached one), plus the Vfs cache gauges. Errors carry the S3
/// error code; both label sets are small and fixed, so the number of series stays bounded.
/// </summary>
internal sealed class S3Metrics
{
    public const string Path = "/_gateway/metrics";

    private static readonly string[] OperationLabel = ["operation"];
    private static readonly string[] ErrorLabels = ["operation", "code"];

    private readonly CounterFamily<(string Operation, string Code)> _errorsByCode = new("s3_errors_total", "S3 requests answered with an error, by operation and S3 error code", ErrorLabels, static k => [k.Operation, k.Code]);
    private readonly CounterFamily<string> _received = Family("s3_received_bytes_total", "Request body bytes received, by operation");
    private readonly CounterFamily<string> _requests = Family("s3_requests_total", "S3 requests handled, by operation");
    private readonly CounterFamily<string> _sent = Family("s3_sent_bytes_total", "Response body bytes sent, by operation");

    public void Record(string operation, string? errorCode, long received, long sent)
    {
        _requests[operation].Increment();
        if (errorCode is not null)
        {
            _errorsByCode[(operation, errorCode)].Increment();
        }

        if (received > 0)
        {
            _received[operation].Add(received);
        }

        if (sent > 0)
        {
            _sent[operation].Add(sent);
        }
    }

    /// <summary>Writes every family in name order, as Prometheus' Go client does.</summary>
    public void WriteTo(TextWriter output, VfsCacheStats cache)
    {
        var writer = new PrometheusTextWriter(output);
        VfsCacheMetrics.WriteTo(writer, cache);
        _errorsByCode.WriteTo(writer);
        _received.WriteTo(writer);
        _requests.WriteTo(writer);
        _sent.WriteTo(writer);
    }

    private static CounterFamily<string> Family(string name, string help) => new(name, help, OperationLabel, static k => [k]);
}
