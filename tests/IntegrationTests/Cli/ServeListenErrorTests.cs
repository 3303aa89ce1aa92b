using System.Net;
using System.Net.Sockets;
using VfsGateway.Cli;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>A listen address that is taken gets one line that says so, no stack (issue 14); the CLI runs in-process.</summary>
public sealed class ServeListenErrorTests
{
    [Fact]
    public async Task Serve_PortInUse_OneLineNoStack()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var harness = new CliHarness();

        Assert.Equal(ExitCodes.Error, await harness.RunAsync("serve", "restic", "--no-auth", "--addr", $"127.0.0.1:{port}", "memory:"));

        Assert.Equal($"gateway: cannot listen on 127.0.0.1:{port}: address already in use", harness.Error.Text.TrimEnd());
    }
}
