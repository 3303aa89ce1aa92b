using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.Http;

namespace VfsGateway.IntegrationTests.Frontends.Http.Hosting;

public sealed partial class GatewayHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_LoopbackPortZero_PrintsBoundPortAndServes()
    {
        var stderr = new CapturingWriter();
        using var cts = new CancellationTokenSource();
        var run = GatewayHost.RunAsync(
            new HttpServerOptions { Address = "127.0.0.1:0" },
            new TestFrontend(),
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Description = "test", Remote = "memory:", Diagnostics = stderr },
            cts.Token);

        var match = await stderr.WaitForAsync(StartupLine(), Timeout);
        Assert.Equal("127.0.0.1", match.Groups["host"].Value);
        var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, port);
        Assert.EndsWith("(memory:)", match.Value, StringComparison.Ordinal);

        using var client = new HttpClient();
        var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/hello"));
        Assert.Equal("HTTP/1.1 GET /hello", body);

        await cts.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Timeout));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/hello")));
    }

    [Fact]
    public async Task RunAsync_FrontendStartFails_ExitsOneWithOneLineAndNeverListens()
    {
        var port = FreePort();
        var stderr = new CapturingWriter();
        var frontend = new TestFrontend { StartFailure = new GatewayStartupException("no credentials: /srv/.htpasswd does not exist (use --no-auth)") };

        var code = await GatewayHost.RunAsync(
            new HttpServerOptions { Address = $"127.0.0.1:{port}" },
            frontend,
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Diagnostics = stderr },
            CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(1, code);
        Assert.Equal("gateway: no credentials: /srv/.htpasswd does not exist (use --no-auth)" + Environment.NewLine, stderr.Text);
        Assert.Equal(1, frontend.StartCalls);
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task RunAsync_BadAddress_ExitsOneBeforeStartingFrontend()
    {
        var stderr = new CapturingWriter();
        var frontend = new TestFrontend();

        var code = await GatewayHost.RunAsync(new HttpServerOptions { Address = "8000" }, frontend, NullLoggerFactory.Instance, new GatewayHostSettings { Diagnostics = stderr }, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.StartsWith("gateway: listen address '8000'", stderr.Text, StringComparison.Ordinal);
        Assert.Equal(0, frontend.StartCalls);
    }

    [Fact]
    public async Task RunAsync_PortInUse_ExitsOneWithMessage()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var stderr = new CapturingWriter();

        var code = await GatewayHost.RunAsync(new HttpServerOptions { Address = $"127.0.0.1:{port}" }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings { Diagnostics = stderr }, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(1, code);
        Assert.StartsWith($"gateway: cannot listen on 127.0.0.1:{port}: ", stderr.Text, StringComparison.Ordinal);
        Assert.Single(stderr.Text.Trim().Split('\n'));
    }

    [Fact]
    public async Task StartAsync_MissingTlsFiles_ThrowsStartupException()
    {
        using var dir = new TempDir();
        var options = new HttpServerOptions { Address = "127.0.0.1:0", Tls = true, TlsCert = dir.Sub("public_key"), TlsKey = dir.Sub("private_key") };

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(options, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.Contains("public_key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LargeUpload_HasNoBodySizeLimit()
    {
        await using var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "127.0.0.1:0" }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Addresses.Single()) };
        const long size = 40L * 1024 * 1024; // above Kestrel's default 30 MB limit

        using var content = new StreamContent(new ZeroStream(size));
        content.Headers.ContentLength = size;
        using var response = await client.PostAsync(new Uri("/count", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_AccessLogFile_AppendsCombinedLinesWithUserAndBytes()
    {
        using var dir = new TempDir();
        var log = dir.Sub("access.log");
        File.WriteAllText(log, "previous line\n");
        var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "127.0.0.1:0", LogFile = log }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        await using (gateway)
        {
            using var client = new HttpClient { BaseAddress = new Uri(gateway.Addresses.Single()) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/a/b?c=d");
            request.Headers.Add("X-User", "alice");
            request.Headers.UserAgent.ParseAdd("restic/0.14.0");
            (await client.SendAsync(request)).Dispose();
            (await client.GetAsync(new Uri("/pipe", UriKind.Relative))).Dispose();
            await gateway.StopAsync();
        }

        var lines = File.ReadAllLines(log);
        Assert.Equal(3, lines.Length);
        Assert.Equal("previous line", lines[0]);
        Assert.Matches(@"^127\.0\.0\.1 - alice \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] ""GET /a/b\?c=d HTTP/1\.1"" 200 17 """" ""restic/0\.14\.0""$", lines[1]);
        Assert.Matches(@"^127\.0\.0\.1 - - \[.*\] ""GET /pipe HTTP/1\.1"" 200 10 """" """"$", lines[2]);
    }

    [Fact]
    public async Task StartAsync_AccessLogDash_WritesToStandardOutput()
    {
        var stdout = new CapturingWriter();
        var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "127.0.0.1:0", LogFile = "-" }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings { StandardOutput = stdout }, CancellationToken.None);
        await using (gateway)
        {
            using var client = new HttpClient();
            await client.GetStringAsync(new Uri(gateway.Addresses.Single() + "/x"));
            await gateway.StopAsync();
        }

        Assert.Matches(@"^127\.0\.0\.1 - - \[.*\] ""GET /x HTTP/1\.1"" 200 15 ", stdout.Text);
    }

    [Fact]
    public async Task StartAsync_Unwritable_AccessLog_ThrowsStartupException()
    {
        using var dir = new TempDir();

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(new HttpServerOptions { Address = "127.0.0.1:0", LogFile = dir.Sub("missing/dir/access.log") }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.Contains("access log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Localhost_ListensOnLoopback()
    {
        await using var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "localhost:0" }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        var address = Assert.Single(gateway.Addresses);
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        using var client = new HttpClient();
        Assert.Equal("HTTP/1.1 GET /", await client.GetStringAsync(new Uri(address + "/")));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"serving test on http://(?<host>[^ /]+):(?<port>\d+)/ \(memory:\)")]
    private static partial Regex StartupLine();
}
