using System.Net;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendRepositoryTests
{
    [Theory]
    [InlineData("/", "")]
    [InlineData("/repo/", "repo")]
    [InlineData("/team/repo/", "team/repo")]
    public async Task Create_WithCreateTrue_MakesLocalBackendLayout(string url, string repo)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, url + "?create=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prefix = repo.Length == 0 ? string.Empty : repo + "/";
        foreach (var dir in new[] { "data", "keys", "locks", "snapshots", "index", "data/00", "data/7f", "data/ff" })
        {
            var entry = await host.Vfs.StatAsync(VfsPath.Parse(prefix + dir), CancellationToken.None);
            Assert.True(entry.IsDirectory, dir);
        }

        var fanOut = 0;
        await foreach (var entry in host.Vfs.ListAsync(VfsPath.Parse(prefix + "data"), CancellationToken.None))
        {
            Assert.True(entry.IsDirectory);
            fanOut++;
        }

        Assert.Equal(256, fanOut);
    }

    [Fact]
    public async Task Create_Twice_Returns200BothTimes()
    {
        await using var host = await ResticTestHost.StartAsync();
        using var first = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");
        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(100));

        using var second = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(await host.AllFilesAsync());
    }

    [Theory]
    [InlineData("/repo/")]
    [InlineData("/repo/?create=false")]
    [InlineData("/repo/?create=TRUE")]
    public async Task Create_WithoutCreateTrue_Returns400AndCreatesNothing(string url)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await host.ExistsAsync("repo"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task RepositoryRoot_OtherMethods_Return405WithAllowPost(string method)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), "/repo/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("PUT", "/repo/config")]
    [InlineData("PATCH", "/repo/keys/0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task ConfigAndObjects_UnknownMethod_Return405WithAllow(string method, string url)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), url);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["HEAD", "GET", "POST", "DELETE"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    public async Task Listing_OtherMethods_Return405WithAllowGet(string method)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(new HttpMethod(method), "/repo/keys/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }
}
