using System.Net;
using System.Text.RegularExpressions;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Cli.Commands;

public sealed partial class ServeResticCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_NoAuthMemory_ServesResticUntilCancelled()
    {
        var harness = new CliHarness();
        using var cts = new CancellationTokenSource();
        var run = harness.RunAsync(cts.Token, "serve", "restic", "--no-auth", "--addr", "127.0.0.1:0", "--log", "-", "memory:");

        var match = await harness.Error.WaitForAsync(StartupLine(), Timeout);
        Assert.Equal("http", match.Groups["scheme"].Value);
        Assert.Equal("memory:", match.Groups["remote"].Value);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/") };

        using (var create = await client.PostAsync(new Uri("repo/?create=true", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        using (var head = new HttpRequestMessage(HttpMethod.Head, "repo/config"))
        using (var missing = await client.SendAsync(head))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Timeout));
        Assert.Contains("\"POST /repo/?create=true HTTP/1.1\" 200 ", harness.Out.Text, StringComparison.Ordinal);
        Assert.Equal(0b000_111_111, harness.UmaskBits); // rest-server's 0600/0700
    }

    [Fact]
    public async Task Serve_PathFlag_DefaultsHtpasswdToDataDirectory()
    {
        using var dir = new TempDir();
        var harness = new CliHarness();

        var code = await harness.RunAsync("serve", "restic", "--addr", "127.0.0.1:0", "--path", dir.Path);

        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(dir.Path, ".htpasswd"), harness.Error.Text, StringComparison.Ordinal);
        var config = Assert.Single(harness.Backends.Created);
        Assert.Equal("local", config.Registration.Name);
        Assert.Equal(dir.Path, config.Root);
    }

    [Fact]
    public async Task Serve_LocalTls_DefaultsCertificateAndKeyToDataDirectory()
    {
        using var dir = new TempDir();
        SelfSignedCertificate.WritePem(dir.Path);
        var harness = new CliHarness();
        using var cts = new CancellationTokenSource();

        var run = harness.RunAsync(cts.Token, "serve", "restic", "--no-auth", "--tls", "--addr", "127.0.0.1:0", dir.Path);

        var match = await harness.Error.WaitForAsync(StartupLine(), Timeout);
        Assert.Equal("https", match.Groups["scheme"].Value);
        Assert.Equal("local:" + dir.Path, match.Groups["remote"].Value);
        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Serve_HtpasswdUsers_AreRequired()
    {
        using var dir = new TempDir();
        var htpasswd = dir.Sub("users");
        Assert.Equal(0, await new CliHarness { Input = "pw\n" }.RunAsync("htpasswd", "add", htpasswd, "alice", "--cost", "4"));
        var harness = new CliHarness();
        using var cts = new CancellationTokenSource();

        var run = harness.RunAsync(cts.Token, "serve", "restic", "--htpasswd-file", htpasswd, "--listen", "127.0.0.1:0", "memory:");

        var match = await harness.Error.WaitForAsync(StartupLine(), Timeout);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/") };
        using (var anonymous = await client.PostAsync(new Uri("alice/?create=true", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "alice/?create=true");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:pw"u8.ToArray()));
        using (var authenticated = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        }

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Timeout));
    }

    [GeneratedRegex(@"serving restic REST on (?<scheme>https?)://127\.0\.0\.1:(?<port>\d+)/ \((?<remote>[^)]*)\)")]
    private static partial Regex StartupLine();
}
