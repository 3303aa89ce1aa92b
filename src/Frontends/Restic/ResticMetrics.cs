using Microsoft.AspNetCore.Http;
using Prometheus;
using VfsGateway.Frontends.Http.Metrics;
using VfsGateway.Vfs.Cache;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// rest-server's Prometheus counters, same names and labels (user, repo, type), so existing
/// dashboards keep working. Only objects are counted, not the config file, as in rest-server.
/// The repo label is the repository path with '/' between nested folders (rest-server joins
/// them without a separator, which makes "a/bc" and "ab/c" one series).
/// </summary>
internal sealed class ResticMetrics
{
    private static readonly string[] LabelNames = ["user", "repo", "type"];

    private readonly GatewayMetrics _gateway;
    private readonly Counter _deleteBytes;
    private readonly Counter _deletes;
    private readonly Counter _readBytes;
    private readonly Counter _reads;
    private readonly Counter _writeBytes;
    private readonly Counter _writes;

    public ResticMetrics(Func<VfsCacheStats> cacheStats, TimeProvider? time = null)
    {
        _gateway = new GatewayMetrics("restic", cacheStats);
        var factory = _gateway.Factory;
        _deleteBytes = factory.CreateCounter("rest_server_blob_delete_bytes_total", "Total number of bytes of blobs deleted", LabelNames);
        _deletes = factory.CreateCounter("rest_server_blob_delete_total", "Total number of blobs deleted", LabelNames);
        _readBytes = factory.CreateCounter("rest_server_blob_read_bytes_total", "Total number of bytes read from blobs", LabelNames);
        _reads = factory.CreateCounter("rest_server_blob_read_total", "Total number of blobs read", LabelNames);
        _writeBytes = factory.CreateCounter("rest_server_blob_write_bytes_total", "Total number of bytes written to blobs", LabelNames);
        _writes = factory.CreateCounter("rest_server_blob_write_total", "Total number of blobs written", LabelNames);
        Repositories = new ResticRepositoryMetrics(factory, time);
    }

    /// <summary>The registry's owner, for the status page (which reads a scrape of it).</summary>
    public GatewayMetrics Gateway => _gateway;

    /// <summary>The rest_server_repo_* gauges (size, last snapshot, last write) per repository.</summary>
    public ResticRepositoryMetrics Repositories { get; }

    public void Read(string user, in ResticRoute route, long bytes) => Count(_reads, _readBytes, user, route, bytes);

    public void Write(string user, in ResticRoute route, long bytes) => Count(_writes, _writeBytes, user, route, bytes);

    public void Delete(string user, in ResticRoute route, long bytes) => Count(_deletes, _deleteBytes, user, route, bytes);

    /// <summary>One request's duration, by operation (see <see cref="ResticFrontend"/> for the names).</summary>
    public void ObserveRequest(string operation, long startTimestamp) => _gateway.ObserveRequest(operation, startTimestamp);

    /// <summary>Answers an authorized scrape.</summary>
    public Task WriteAsync(HttpContext context) => _gateway.WriteAsync(context);

    private static void Count(Counter count, Counter bytes, string user, in ResticRoute route, long amount)
    {
        if (route.Type == ResticObjectType.Config)
        {
            return;
        }

        var repo = route.Repository.Value;
        var type = route.TypeName;
        count.WithLabels(user, repo, type).Inc();
        bytes.WithLabels(user, repo, type).Inc(amount);
    }
}
