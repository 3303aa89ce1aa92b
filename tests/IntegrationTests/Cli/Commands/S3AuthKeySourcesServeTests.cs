using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using VfsGateway.Cli.Commands;

namespace VfsGateway.IntegrationTests.Cli.Commands;

/// <summary>`serve s3` on loopback with keys from the environment and from a file (the unit tests cover how they are collected).</summary>
public sealed partial class S3AuthKeySourcesServeTests : IDisposable
{
    private readonly TempDir _temp = new("authkeys");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Serve_KeysFromEnvAndFile_BothSignIn()
    {
        var file = _temp.Sub("keys");
        await File.WriteAllTextAsync(file, "AKFILE,secret-from-file\n");
        var harness = new CliHarness();
        harness.Env[S3AuthKeySources.EnvVar] = "AKENV,secret-from-env";
        using var cts = new CancellationTokenSource();
        var run = harness.RunAsync(cts.Token, "serve", "s3", "--auth-key-file", file, "--prometheus", "--addr", "127.0.0.1:0", "memory:");

        var match = await harness.Error.WaitForAsync(StartupLine(), TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/") };
        foreach (var (id, secret, status) in new[] { ("AKFILE", "secret-from-file", HttpStatusCode.OK), ("AKENV", "secret-from-env", HttpStatusCode.OK), ("AKENV", "wrong", HttpStatusCode.Unauthorized) })
        {
            // The metrics path takes an access key as HTTP Basic credentials: a cheap way to check the key set.
            using var request = new HttpRequestMessage(HttpMethod.Get, "_gateway/metrics");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
            using var response = await client.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
        }

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("secret-from", harness.Error.Text + harness.Out.Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"serving .* on http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex StartupLine();
}
