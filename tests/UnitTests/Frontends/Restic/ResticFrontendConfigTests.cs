using System.Net;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendConfigTests
{
    [Fact]
    public async Task Config_PostHeadGetDelete_FollowsRestServer()
    {
        await using var host = await ResticTestHost.StartAsync();
        var config = ResticTestHost.RandomBytes(155);

        using var headMissing = await host.SendAsync(HttpMethod.Head, "/repo/config");
        using var getMissing = await host.SendAsync(HttpMethod.Get, "/repo/config");
        using var post = await host.SendAsync(HttpMethod.Post, "/repo/config", config);
        using var head = await host.SendAsync(HttpMethod.Head, "/repo/config");
        using var get = await host.SendAsync(HttpMethod.Get, "/repo/config");

        Assert.Equal(HttpStatusCode.NotFound, headMissing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, getMissing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(155, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(config, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostConfig_WhenOneExists_Returns403AndKeepsTheOld()
    {
        await using var host = await ResticTestHost.StartAsync();
        var original = ResticTestHost.RandomBytes(50);
        using var first = await host.SendAsync(HttpMethod.Post, "/config", original);

        using var second = await host.SendAsync(HttpMethod.Post, "/config", ResticTestHost.RandomBytes(60));
        using var same = await host.SendAsync(HttpMethod.Post, "/config", original);
        using var get = await host.SendAsync(HttpMethod.Get, "/config");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, same.StatusCode);
        Assert.Equal(original, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostConfig_IsNotCheckedAgainstAHash()
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/a/b/config", [42]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await host.ExistsAsync("a/b/config"));
    }

    [Fact]
    public async Task DeleteConfig_ExistingAndMissing_Return200()
    {
        await using var host = await ResticTestHost.StartAsync();
        using var post = await host.SendAsync(HttpMethod.Post, "/config", [1, 2]);

        using var delete = await host.SendAsync(HttpMethod.Delete, "/config");
        using var again = await host.SendAsync(HttpMethod.Delete, "/config");
        using var head = await host.SendAsync(HttpMethod.Head, "/config");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }
}
