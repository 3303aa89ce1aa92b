using System.Globalization;
using System.Text.Json;

namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// Writes the status JSON (<c>/_gateway/status.json</c>) from one scrape of the frontend's
/// registry: the same series Prometheus sees, summed over labels the page does not show, plus
/// rates over <see cref="RateWindow"/> and the recent errors. Field names are documented in
/// docs/operations.md; totals are since the process started.
/// </summary>
internal static class StatusReport
{
    private const string Duration = "gateway_request_duration_seconds";

    public static void Write(Utf8JsonWriter json, StatusPageInfo info, StatusFrontend frontend, string cacheMode, List<MetricSample> samples, RateWindow window, RecentError[] errors, DateTimeOffset now)
    {
        var totals = Totals(samples, frontend);
        var (rates, seconds) = window.Advance(totals);
        json.WriteStartObject();
        json.WriteString("time", now);
        json.WriteString("version", info.Version);
        json.WriteStartObject("frontend");
        json.WriteString("name", frontend.Name);
        json.WriteString("description", frontend.Description);
        json.WriteEndObject();
        json.WriteStartObject("backend");
        json.WriteString("type", info.BackendType);
        json.WriteString("root", info.Root);
        json.WriteString("remote", info.Remote);
        json.WriteEndObject();
        json.WriteString("cacheMode", cacheMode);
        json.WriteNumber("rateWindowSeconds", Math.Round(seconds, 3));

        var start = Single(samples, "process_start_time_seconds");
        json.WriteNumber("uptimeSeconds", start > 0 ? Math.Max(0, Math.Round(now.ToUnixTimeMilliseconds() / 1000.0 - start)) : 0);

        json.WriteStartObject("requests");
        json.WriteNumber("total", totals["requests"]);
        json.WriteNumber("perSecond", Round(rates["requests"]));
        json.WriteStartArray("operations");
        foreach (var operation in Operations(samples, frontend))
        {
            var count = totals["count:" + operation];
            var countRate = rates["count:" + operation];
            json.WriteStartObject();
            json.WriteString("operation", operation);
            json.WriteNumber("total", count);
            json.WriteNumber("perSecond", Round(countRate));
            json.WriteNumber("meanSeconds", count > 0 ? Round(totals["sum:" + operation] / count) : 0);
            if (countRate > 0)
            {
                json.WriteNumber("recentMeanSeconds", Round(rates["sum:" + operation] / countRate));
            }
            else
            {
                json.WriteNull("recentMeanSeconds");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("throughput");
        json.WriteNumber("bytesIn", totals["in"]);
        json.WriteNumber("bytesOut", totals["out"]);
        json.WriteNumber("bytesInPerSecond", Round(rates["in"]));
        json.WriteNumber("bytesOutPerSecond", Round(rates["out"]));
        json.WriteEndObject();

        json.WriteStartObject("cache");
        json.WriteNumber("sizeBytes", Single(samples, "gateway_vfs_cache_size_bytes"));
        json.WriteNumber("dirtyItems", Single(samples, "gateway_vfs_cache_dirty_items"));
        json.WriteNumber("bytesWaiting", Single(samples, "gateway_vfs_cache_bytes_waiting"));
        json.WriteNumber("uploadsInProgress", Single(samples, "gateway_vfs_cache_uploads_in_progress"));
        json.WriteNumber("uploadsCompleted", Single(samples, "gateway_vfs_cache_uploads_completed_total"));
        json.WriteNumber("uploadFailures", Single(samples, "gateway_vfs_cache_upload_failures_total"));
        json.WriteNumber("hits", Single(samples, "gateway_vfs_cache_hits_total"));
        json.WriteNumber("misses", Single(samples, "gateway_vfs_cache_misses_total"));
        json.WriteEndObject();

        json.WriteStartObject("process");
        json.WriteNumber("residentMemoryBytes", Single(samples, "process_resident_memory_bytes"));
        json.WriteNumber("cpuSeconds", Round(Single(samples, "process_cpu_seconds_total")));
        json.WriteNumber("gcHeapBytes", Single(samples, "dotnet_gc_heap_size_bytes"));
        json.WriteNumber("threadPoolThreads", Single(samples, "dotnet_thread_pool_threads"));
        json.WriteNumber("openHandles", Single(samples, "process_open_handles"));
        json.WriteEndObject();

        WriteRepositories(json, samples);
        WriteErrors(json, errors);
        json.WriteEndObject();
    }

    /// <summary>The counters the page shows as rates, keyed for <see cref="RateWindow"/>.</summary>
    private static Dictionary<string, double> Totals(List<MetricSample> samples, StatusFrontend frontend)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal) { ["requests"] = 0, ["in"] = 0, ["out"] = 0 };
        foreach (var s in samples)
        {
            if (s.Name == frontend.BytesInMetric)
            {
                totals["in"] += s.Value;
            }
            else if (s.Name == frontend.BytesOutMetric)
            {
                totals["out"] += s.Value;
            }
            else if (s.Name is Duration + "_count" or Duration + "_sum" && s.Label("frontend") == frontend.Name)
            {
                var isCount = s.Name.EndsWith("_count", StringComparison.Ordinal);
                var key = (isCount ? "count:" : "sum:") + s.Label("operation");
                totals[key] = totals.GetValueOrDefault(key) + s.Value;
                if (isCount)
                {
                    totals["requests"] += s.Value;
                }
            }
        }

        return totals;
    }

    private static IEnumerable<string> Operations(List<MetricSample> samples, StatusFrontend frontend) =>
        samples.Where(s => s.Name == Duration + "_count" && s.Label("frontend") == frontend.Name)
            .Select(s => s.Label("operation")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>restic's per-repository gauges and blob counters (absent for S3): one row per repository.</summary>
    private static void WriteRepositories(Utf8JsonWriter json, List<MetricSample> samples)
    {
        var rows = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        string[] columns =
        [
            "rest_server_repo_size_bytes", "rest_server_repo_last_snapshot_timestamp_seconds", "rest_server_repo_last_write_timestamp_seconds",
            "rest_server_blob_write_total", "rest_server_blob_write_bytes_total", "rest_server_blob_read_total", "rest_server_blob_read_bytes_total",
            "rest_server_blob_delete_total",
        ];
        foreach (var s in samples)
        {
            var column = Array.IndexOf(columns, s.Name);
            if (column < 0 || !s.Labels.TryGetValue("repo", out var repo))
            {
                continue;
            }

            if (!rows.TryGetValue(repo, out var values))
            {
                values = new double[columns.Length];
                rows[repo] = values;
            }

            values[column] += s.Value; // the blob counters are also split by user and type
        }

        json.WriteStartArray("repositories");
        foreach (var (repo, v) in rows)
        {
            json.WriteStartObject();
            json.WriteString("repo", repo.Length == 0 ? "/" : repo);
            json.WriteNumber("sizeBytes", v[0]);
            WriteTime(json, "lastSnapshot", v[1]);
            WriteTime(json, "lastWrite", v[2]);
            json.WriteNumber("blobsWritten", v[3]);
            json.WriteNumber("bytesWritten", v[4]);
            json.WriteNumber("blobsRead", v[5]);
            json.WriteNumber("bytesRead", v[6]);
            json.WriteNumber("blobsDeleted", v[7]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteErrors(Utf8JsonWriter json, RecentError[] errors)
    {
        json.WriteStartArray("recentErrors");
        foreach (var e in errors)
        {
            json.WriteStartObject();
            json.WriteString("time", e.Time);
            json.WriteNumber("status", e.Status);
            json.WriteString("method", e.Method);
            json.WriteString("path", e.Path);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, double unixSeconds)
    {
        if (unixSeconds > 0)
        {
            json.WriteString(name, DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static double Single(List<MetricSample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;
}
