using System.Net;
using System.Text.RegularExpressions;

namespace VfsGateway.IntegrationTests.Cli.Commands;

public sealed partial class ServeS3CommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_Prometheus_ServesMetricsAtReservedPath()
    {
        var harness = new CliHarness();
        using var cts = new CancellationTokenSource();
        var run = harness.RunAsync(cts.Token, "serve", "s3", "--no-auth", "--prometheus", "--addr", "127.0.0.1:0", "memory:");

        var match = await harness.Error.WaitForAsync(StartupLine(), Timeout);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/") };
        using (var bucket = await client.PutAsync(new Uri("metrics", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, bucket.StatusCode);
        }

        using (var scrape = await client.GetAsync(new Uri("_gateway/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("s3_requests_total{operation=\"CreateBucket\"} 1\n", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Timeout));
    }

    [GeneratedRegex(@"serving .* on http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex StartupLine();
}
