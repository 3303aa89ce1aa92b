using System.Net;

namespace VfsGateway.TestSupport;

/// <summary>An HttpClient that speaks HTTP/2 with prior knowledge (h2c) over one given stream, like restic's rclone: backend.</summary>
internal static class Http2Client
{
    public static HttpClient Over(Stream connection)
    {
        var used = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, _) =>
                Interlocked.Exchange(ref used, 1) == 0
                    ? ValueTask.FromResult(connection)
                    : throw new InvalidOperationException("the stdio transport carries exactly one connection"),
        };
        return new HttpClient(handler)
        {
            BaseAddress = new Uri("http://stdio/"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
