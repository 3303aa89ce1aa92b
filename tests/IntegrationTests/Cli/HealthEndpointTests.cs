using System.Net;
using System.Text.RegularExpressions;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>/_gateway/health/live and /ready on both frontends, without credentials (issue 14).</summary>
public sealed partial class HealthEndpointTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-health-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("s3", "--auth-key", "AK,SK")]
    [InlineData("restic", "--htpasswd", "HTPASSWD")]
    public async Task Health_WithAuthConfigured_AnsweredWithoutCredentials(string frontend, string authFlag, string authValue)
    {
        var htpasswd = Path.Combine(_dir, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, "user:$2y$05$abcdefghijklmnopqrstuu5Y7x0bS.Hr0xKqkqQk0Z0s7oPZ6a8zK\n");
        var root = Path.Combine(_dir, "root");
        await using var server = await StartAsync("serve", frontend, authFlag, authValue.Replace("HTPASSWD", htpasswd, StringComparison.Ordinal), "--cache-dir", Path.Combine(_dir, "cache"), root);

        using (var live = await server.Client.GetAsync(new Uri("_gateway/health/live", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("ok\n", await live.Content.ReadAsStringAsync());
        }

        using (var ready = await server.Client.GetAsync(new Uri("_gateway/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        // Everything else still needs credentials.
        using var other = await server.Client.GetAsync(new Uri(frontend == "s3" ? "bucket/" : "repo/config", UriKind.Relative));
        Assert.True(other.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, other.StatusCode.ToString());
    }

    private static async Task<RunningServer> StartAsync(params string[] args)
    {
        var harness = new CliHarness();
        var cts = new CancellationTokenSource();
        var run = harness.RunAsync(cts.Token, [.. args, "--addr", "127.0.0.1:0"]);
        var match = await harness.Error.WaitForAsync(StartupLine(), Timeout);
        return new RunningServer(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/") }, cts, run);
    }

    [GeneratedRegex(@"serving .* on http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex StartupLine();

    private sealed record RunningServer(HttpClient Client, CancellationTokenSource Stop, Task<int> Run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Stop.CancelAsync();
            Assert.Equal(0, await Run.WaitAsync(Timeout));
            Stop.Dispose();
        }
    }
}
