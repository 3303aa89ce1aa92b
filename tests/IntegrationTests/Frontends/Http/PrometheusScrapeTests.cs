using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Http;

/// <summary>
/// A real scrape of a running gateway (restic and S3 frontends, after some traffic so every
/// labelled family has series) passes Prometheus' own `promtool check metrics`: no parse error
/// and no lint complaint (exit 0; 1 is a parse error, 3 a lint problem).
/// </summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task ResticScrape_AfterTraffic_PassesPromtool()
    {
        var promtool = Tool.Require("promtool");
        using var temp = new TempDir("promtool-restic");
        await using var server = await GatewayServer.StartAsync("serve", "restic", "local:" + temp.Dir("repo"), "--no-auth", "--prometheus");
        using var http = Client(server);
        (await http.PostAsync("/repo/?create=true", null)).EnsureSuccessStatusCode();
        var blob = RandomNumberGenerator.GetBytes(1000);
        var name = Convert.ToHexStringLower(SHA256.HashData(blob));
        (await http.PostAsync($"/repo/data/{name}", new ByteArrayContent(blob))).EnsureSuccessStatusCode();
        (await http.GetAsync($"/repo/data/{name}")).EnsureSuccessStatusCode();

        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("rest_server_blob_write_total{", text, StringComparison.Ordinal);
        Assert.Contains("gateway_request_duration_seconds_bucket{frontend=\"restic\",operation=\"SaveObject\"", text, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", text, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", text, StringComparison.Ordinal);
        await AssertPromtoolCleanAsync(promtool, text);
    }

    [Fact]
    public async Task S3Scrape_AfterTraffic_PassesPromtool()
    {
        var promtool = Tool.Require("promtool");
        using var temp = new TempDir("promtool-s3");
        await using var server = await GatewayServer.StartAsync("serve", "s3", "local:" + temp.Dir("root"), "--no-auth", "--prometheus");
        using var http = Client(server);
        (await http.PutAsync("/bucket", null)).EnsureSuccessStatusCode();
        (await http.PutAsync("/bucket/key", new ByteArrayContent(new byte[100]))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/bucket/missing")).StatusCode);

        var response = await http.GetAsync("/_gateway/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypeHeaderValue.Parse("text/plain; version=0.0.4; charset=utf-8"), response.Content.Headers.ContentType);
        Assert.Contains("s3_errors_total{operation=\"GetObject\",code=\"NoSuchKey\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gateway_request_duration_seconds_count{frontend=\"s3\",operation=\"PutObject\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_thread_pool_threads ", text, StringComparison.Ordinal);
        await AssertPromtoolCleanAsync(promtool, text);
    }

    private static async Task AssertPromtoolCleanAsync(string promtool, string text)
    {
        var result = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], standardInput: text, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Succeeded, result.Describe());
    }

    private static HttpClient Client(GatewayServer server) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.BaseUrl) };
}
