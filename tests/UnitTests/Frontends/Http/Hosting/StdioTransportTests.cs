using System.IO.Pipelines;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.Http;

namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

public sealed class StdioTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_Stdio_ServesHttp2PriorKnowledgeAndExitsAtEndOfInput()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var stderr = new CapturingWriter();
        var run = GatewayHost.RunAsync(
            new HttpServerOptions { Stdio = true, LogFile = "-" },
            new TestFrontend(),
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Diagnostics = stderr, StdioInput = toServer.Reader.AsStream(), StdioOutput = toClient.Writer.AsStream() },
            CancellationToken.None);

        var connection = new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream());
        using (var client = Http2Client.Over(connection))
        {
            // Several requests in parallel share the one connection (restic opens several "connections").
            var bodies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.GetStringAsync(new Uri($"/r{i}", UriKind.Relative))));
            for (var i = 0; i < bodies.Length; i++)
            {
                Assert.Equal($"HTTP/2 GET /r{i}", bodies[i]);
            }

            using var put = await client.PostAsync(new Uri("/count", UriKind.Relative), new ByteArrayContent(new byte[3 * 1024 * 1024]));
            Assert.Equal(HttpVersion.Version20, put.Version);
            Assert.Equal("3145728", await put.Content.ReadAsStringAsync());
        }

        // Disposing the client closed our end of the pipe: stdin EOF ends the server.
        Assert.Equal(0, await run.WaitAsync(Timeout));

        // The access log went to stderr ("-" in --stdio mode), since stdout carries the protocol.
        Assert.Contains("\"GET /r0 HTTP/2.0\" 200 ", stderr.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", stderr.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Stdio_IdleConnection_StaysOpen()
    {
        // restic may sit for seconds or minutes between requests (key derivation, scanning files);
        // the single pipe connection must not be closed as an idle keep-alive connection.
        var toServer = new Pipe();
        var toClient = new Pipe();
        var run = GatewayHost.RunAsync(
            new HttpServerOptions { Stdio = true },
            new TestFrontend(),
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Diagnostics = new CapturingWriter(), StdioInput = toServer.Reader.AsStream(), StdioOutput = toClient.Writer.AsStream() },
            CancellationToken.None);

        using (var client = Http2Client.Over(new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream())))
        {
            Assert.Equal("HTTP/2 GET /before", await client.GetStringAsync(new Uri("/before", UriKind.Relative)));
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            Assert.False(run.IsCompleted);
            Assert.Equal("HTTP/2 GET /after", await client.GetStringAsync(new Uri("/after", UriKind.Relative)));
        }

        Assert.Equal(0, await run.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_Stdio_ImmediateEndOfInput_ExitsZero()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await toServer.Writer.CompleteAsync();

        var code = await GatewayHost.RunAsync(
            new HttpServerOptions { Stdio = true },
            new TestFrontend(),
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Diagnostics = new CapturingWriter(), StdioInput = toServer.Reader.AsStream(), StdioOutput = toClient.Writer.AsStream() },
            CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task RunAsync_StdioWithTls_ExitsOne()
    {
        var stderr = new CapturingWriter();

        var code = await GatewayHost.RunAsync(
            new HttpServerOptions { Stdio = true, Tls = true, TlsCert = "c", TlsKey = "k" },
            new TestFrontend(),
            NullLoggerFactory.Instance,
            new GatewayHostSettings { Diagnostics = stderr, StdioInput = Stream.Null, StdioOutput = Stream.Null },
            CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("--stdio", stderr.Text, StringComparison.Ordinal);
    }
}
