#pragma warning disable CA1848, CA1873 // the tests call the logger directly to feed the formatter arbitrary events
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

public sealed class GatewayLogFormatterTests
{
    [Fact]
    public void Text_LineHasTimeLevelMessage_NoCategoryOrEventId()
    {
        var output = new StringWriter();
        using (var factory = GatewayLogging.CreateLoggerFactory(LogLevel.Information, json: false, output))
        {
            factory.CreateLogger("VfsGateway.Vfs.Cache.WriteBackQueue").Log(LogLevel.Warning, new EventId(7, "Upload"), "upload of {Path} failed, retrying in {Delay}", "a/b", "2s");
        }

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn  upload of a/b failed, retrying in 2s\n$", output.ToString());
        Assert.DoesNotContain("VfsGateway", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[7]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ExceptionAddsItsMessageWithoutStackBelowDebug()
    {
        var output = new StringWriter();
        using (var factory = GatewayLogging.CreateLoggerFactory(LogLevel.Information, json: false, output))
        {
            factory.CreateLogger("x").LogError(new IOException("disk full"), "write failed");
        }

        Assert.EndsWith(" error write failed: disk full\n", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_OneObjectPerLineWithNamedValues()
    {
        var output = new StringWriter();
        using (var factory = GatewayLogging.CreateLoggerFactory(LogLevel.Debug, json: true, output))
        {
            factory.CreateLogger("VfsGateway.Frontends.S3.S3Frontend").LogInformation("stored {Key} ({Bytes} bytes)", "b/k \"q\"", 42);
            factory.CreateLogger("x").LogTrace("not shown at debug");
        }

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("info", doc.RootElement.GetProperty("level").GetString());
        Assert.Equal("stored b/k \"q\" (42 bytes)", doc.RootElement.GetProperty("msg").GetString());
        Assert.Equal("b/k \"q\"", doc.RootElement.GetProperty("Key").GetString());
        Assert.Equal(42, doc.RootElement.GetProperty("Bytes").GetInt32());
        Assert.DoesNotContain("S3Frontend", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Formatter_UsesUtcTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero));
        var output = new StringWriter();
        using (var provider = new WriterLoggerProvider(new GatewayLogFormatter(json: false, stacks: false, time), output))
        {
            provider.CreateLogger("c").Log(LogLevel.Information, "hello");
        }

        Assert.Equal("2026-01-02T03:04:05.006Z info  hello\n", output.ToString());
    }
}
