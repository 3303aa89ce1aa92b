using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.Http;

namespace VfsGateway.IntegrationTests.Frontends.Http.Hosting;

public sealed class GatewayHostUnixSocketTests
{
    [Fact]
    public async Task StartAsync_UnixSocket_ServesAndRemovesSocketOnStop()
    {
        using var dir = new TempDir();
        var socket = dir.Sub("g.sock");
        var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "unix:" + socket }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        await using (gateway)
        {
            Assert.Equal("http://unix:" + socket, Assert.Single(gateway.Addresses));
            using var client = UnixClient(socket);
            Assert.Equal("HTTP/1.1 GET /over/unix", await client.GetStringAsync(new Uri("http://localhost/over/unix")));
            await gateway.StopAsync();
        }

        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task StartAsync_StaleSocketFile_IsReplaced()
    {
        using var dir = new TempDir();
        var path = dir.Sub("stale.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // .NET unlinks the socket file it bound when the socket is disposed; renaming it first
            // leaves a socket file behind, as a crashed server would.
            var bound = dir.Sub("bound.sock");
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, path);
        }

        Assert.True(File.Exists(path));
        await using var gateway = await GatewayHost.StartAsync(new HttpServerOptions { Address = "unix:" + path }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        using var client = UnixClient(path);
        Assert.Equal("HTTP/1.1 GET /", await client.GetStringAsync(new Uri("http://localhost/")));
    }

    [Fact]
    public async Task StartAsync_RegularFileAtSocketPath_RefusesAndKeepsFile()
    {
        using var dir = new TempDir();
        var path = dir.Sub("data.sock");
        File.WriteAllText(path, "precious");

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(new HttpServerOptions { Address = "unix:" + path }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.Contains("not a socket", e.Message, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(path));
    }

    [Fact]
    public async Task StartAsync_SocketInUse_Refuses()
    {
        using var dir = new TempDir();
        var path = dir.Sub("busy.sock");
        await using var first = await GatewayHost.StartAsync(new HttpServerOptions { Address = "unix:" + path }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(new HttpServerOptions { Address = "unix:" + path }, new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.Contains("another server", e.Message, StringComparison.Ordinal);
        using var client = UnixClient(path);
        Assert.Equal("HTTP/1.1 GET /", await client.GetStringAsync(new Uri("http://localhost/")));
    }

    private static HttpClient UnixClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await s.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(s, ownsSocket: true);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        },
    });
}
