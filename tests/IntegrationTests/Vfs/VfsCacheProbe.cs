using System.Globalization;
using System.Text.RegularExpressions;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Vfs;

/// <summary>Reads the `gateway_vfs_cache_*` Prometheus series of a running gateway started with --prometheus.</summary>
internal static partial class VfsCacheProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>All `gateway_vfs_cache_*` samples of one scrape, by metric name.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> ScrapeAsync(GatewayServer server, string metricsPath)
    {
        var text = await Http.GetStringAsync(new Uri(server.BaseUrl + metricsPath));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in Sample().Matches(text))
        {
            values[match.Groups[1].Value] = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        Assert.True(values.ContainsKey("gateway_vfs_cache_dirty_items"), "no gateway_vfs_cache_dirty_items in the scrape:\n" + text);
        return values;
    }

    /// <summary>Polls the metrics until no item is dirty and no upload runs; fails with the gateway's log on timeout.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> WaitForDrainAsync(GatewayServer server, string metricsPath, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var values = await ScrapeAsync(server, metricsPath);
            if (values["gateway_vfs_cache_dirty_items"] == 0 && values["gateway_vfs_cache_uploads_in_progress"] == 0)
            {
                return values;
            }

            Assert.False(server.HasExited, "the gateway exited while draining:\n" + server.Stderr);
            Assert.True(
                DateTime.UtcNow < deadline,
                $"the upload queue did not drain within {timeout.TotalSeconds:0} s: {Render(values)}\n--- gateway stderr ---\n{server.Stderr}");
            await Task.Delay(250);
        }
    }

    public static string Render(IReadOnlyDictionary<string, double> values) =>
        string.Join(", ", values.Select(v => $"{v.Key}={v.Value.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Counts the regular files below <paramref name="dir"/> (0 when it does not exist).</summary>
    public static int CountFiles(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Count() : 0;

    [GeneratedRegex(@"^(gateway_vfs_cache_[a-z_]+) ([0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
