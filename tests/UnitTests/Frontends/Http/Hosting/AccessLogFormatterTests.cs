using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

public sealed class AccessLogFormatterTests
{
    private static readonly DateTimeOffset Time = new(2024, 3, 7, 13, 55, 36, TimeSpan.FromHours(-7));

    [Fact]
    public void Format_AuthenticatedRequest_WritesCombinedLine()
    {
        var context = Request("GET", "/repo/data/ab/abcdef?x=1", "HTTP/1.1");
        context.Connection.RemoteIpAddress = IPAddress.Parse("127.0.0.1");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "Basic"));
        context.Request.Headers.Referer = "http://example/";
        context.Request.Headers.UserAgent = "restic/0.14.0";
        context.Response.StatusCode = 206;

        var line = AccessLogFormatter.Format(context, Time, 1234);

        Assert.Equal("127.0.0.1 - alice [07/Mar/2024:13:55:36 -0700] \"GET /repo/data/ab/abcdef?x=1 HTTP/1.1\" 206 1234 \"http://example/\" \"restic/0.14.0\"", line);
    }

    [Fact]
    public void Format_Anonymous_NoBody_UsesDashes()
    {
        var context = Request("HEAD", "/config", "HTTP/2");
        context.Response.StatusCode = 404;

        var line = AccessLogFormatter.Format(context, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(330)), 0);

        Assert.Equal("- - - [02/Jan/2024:03:04:05 +0530] \"HEAD /config HTTP/2.0\" 404 - \"\" \"\"", line);
    }

    [Fact]
    public void Format_QuotesAndControlCharacters_AreEscaped()
    {
        var context = Request("GET", "/a\"b", "HTTP/1.1");
        context.Request.Headers.UserAgent = "evil\"\n127.0.0.1 - - forged\\";
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob smith")], "Basic"));

        var line = AccessLogFormatter.Format(context, Time, 1);

        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"GET /a\\\"b HTTP/1.1\"", line, StringComparison.Ordinal);
        Assert.EndsWith("\"evil\\\"\\x0a127.0.0.1 - - forged\\\\\"", line, StringComparison.Ordinal);
        Assert.Contains(" bob_smith [", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_StatusOverride_ReplacesResponseStatus()
    {
        var context = Request("PUT", "/x", "HTTP/1.1");
        context.Response.StatusCode = 200;

        var line = AccessLogFormatter.Format(context, Time, 0, statusOverride: 500);

        Assert.Contains("\" 500 - ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTime_UsesEnglishMonthAndCompactOffset()
    {
        Assert.Equal("31/Dec/1999:23:59:59 +0000", AccessLogFormatter.FormatTime(new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero)));
    }

    private static DefaultHttpContext Request(string method, string rawTarget, string protocol)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Protocol = protocol;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return context;
    }
}
