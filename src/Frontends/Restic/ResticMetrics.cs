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

    private readonly CounterFamily<(string, string, string)> _deleteBytes = Family("rest_server_blob_delete_bytes_total", "Total number of bytes of blobs deleted");
    private readonly CounterFamily<(string, string, string)> _deletes = Family("rest_server_blob_delete_total", "Total number of blobs deleted");
    private readonly CounterFamily<(string, string, string)> _readBytes = Family("rest_server_blob_read_bytes_total", "Total number of bytes read from blobs");
    private readonly CounterFamily<(string, string, string)> _reads = Family("rest_server_blob_read_total", "Total number of blobs read");
    private readonly CounterFamily<(string, string, string)> _writeBytes = Family("rest_server_blob_write_bytes_total", "Total number of bytes written to blobs");
    private readonly CounterFamily<(string, string, string)> _writes = Family("rest_server_blob_write_total", "Total number of blobs written");

    public void Read(string user, in ResticRoute route, long bytes) => Count(_reads, _readBytes, user, route, bytes);

    public void Write(string user, in ResticRoute route, long bytes) => Count(_writes, _writeBytes, user, route, bytes);

    public void Delete(string user, in ResticRoute route, long bytes) => Count(_deletes, _deleteBytes, user, route, bytes);

    /// <summary>Writes every family in name order, as Prometheus' Go client does, the Vfs cache's first.</summary>
    public void WriteTo(TextWriter output, VfsCacheStats cache)
    {
        var writer = new PrometheusTextWriter(output);
        VfsCacheMetrics.WriteTo(writer, cache);
        _deleteBytes.WriteTo(writer);
        _deletes.WriteTo(writer);
        _readBytes.WriteTo(writer);
        _reads.WriteTo(writer);
        _writeBytes.WriteTo(writer);
        _writes.WriteTo(writer);
    }

    private static void Count(CounterFamily<(string, string, string)> count, CounterFamily<(string, string, string)> bytes, string user, in ResticRoute route, long amount)
    {
        if (route.Type == ResticObjectType.Config)
        {
            return;
        }

        var key = (user, route.Repository.Value, route.TypeName);
        count[key].Increment();
        bytes[key].Add(amount);
    }

    private static CounterFamily<(string, string, string)> Family(string name, string help) =>
        new(name, help, LabelNames, static key => [key.Item1, key.Item2, key.Item3]);
}
