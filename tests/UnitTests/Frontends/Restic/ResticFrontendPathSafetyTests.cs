using System.Net;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>Whatever the target looks like, nothing outside the served root is read or written.</summary>
public sealed class ResticFrontendPathSafetyTests
{
    [Theory]
    [InlineData("POST", "/%2e%2e/config", "/../config", 404)]
    [InlineData("POST", "/a/%2e%2e/config", "/a/../config", 404)]
    [InlineData("POST", "/a%2Fb/config", "/a%2Fb/config", 404)]
    [InlineData("POST", "/a%5Cb/config", "/a\\b/config", 404)]
    [InlineData("POST", "/a%00/config", "/a\0/config", 400)]
    [InlineData("GET", "/a/x/config", "/a/config", 400)]
    [InlineData("POST", "/a/b/c/config", "/a/b/c/config", 404)]
    public async Task Request_WithTraversalOrEncodedSeparator_IsRefusedAndTouchesNothing(string method, string rawTarget, string decodedPath, int expected)
    {
        await using var host = await ResticTestHost.StartAsync();
        using (var seed = await host.SendAsync(HttpMethod.Post, "/a/config", [1, 2, 3]))
        {
            Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
        }

        var context = await host.SendRawAsync(method, rawTarget, decodedPath);

        Assert.Equal(expected, context.Response.StatusCode);
        var files = await host.AllFilesAsync();
        Assert.Equal(["a/config"], files.Select(f => f.Path.Value));
    }

    [Theory]
    [InlineData("/a%2Fconfig")]
    [InlineData("/a%2fb/config")]
    [InlineData("/a%5Cb/config")]
    public async Task Request_EncodedSeparatorThroughHttpClient_Returns404(string url)
    {
        await using var host = await ResticTestHost.StartAsync();
        using (var seed = await host.SendAsync(HttpMethod.Post, "/a/config", [1, 2, 3]))
        {
            Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
        }

        using var response = await host.SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
