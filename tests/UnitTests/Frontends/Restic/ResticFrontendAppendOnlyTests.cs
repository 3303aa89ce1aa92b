using System.Net;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Restic;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendAppendOnlyTests
{
    private static readonly ResticOptions AppendOnly = new() { NoAuth = true, AppendOnly = true };

    [Theory]
    [InlineData("data")]
    [InlineData("keys")]
    [InlineData("snapshots")]
    [InlineData("index")]
    public async Task Delete_AnythingButLocks_Returns403AndKeepsIt(string type)
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);
        var id = await host.UploadAsync("/repo", type, ResticTestHost.RandomBytes(20));

        using var response = await host.SendAsync(HttpMethod.Delete, $"/repo/{type}/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(await host.AllFilesAsync());
    }

    [Fact]
    public async Task Delete_Config_Returns403()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);
        using var post = await host.SendAsync(HttpMethod.Post, "/repo/config", [1]);

        using var response = await host.SendAsync(HttpMethod.Delete, "/repo/config");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(await host.ExistsAsync("repo/config"));
    }

    [Fact]
    public async Task Delete_Lock_Returns200()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);
        var id = await host.UploadAsync("/repo", "locks", ResticTestHost.RandomBytes(20));

        using var response = await host.SendAsync(HttpMethod.Delete, $"/repo/locks/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task Post_SameObjectAgain_Returns200WithoutRewriting()
    {
        var puts = 0;
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root))
        {
            FaultInjector = (operation, _) =>
            {
                if (operation == "put")
                {
                    Interlocked.Increment(ref puts);
                }

                return null;
            },
        };
        await using var host = await ResticTestHost.StartAsync(AppendOnly, backend);
        var content = ResticTestHost.RandomBytes(4000);
        var id = await host.UploadAsync("/repo", "data", content);

        // A retry after a lost response: rest-server says 403 here (its issue #196) and restic gives up.
        using var retry = await host.SendAsync(HttpMethod.Post, $"/repo/data/{id}", content);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, puts);
    }

    [Fact]
    public async Task Post_DifferentContentUnderExistingName_Returns403AndKeepsTheOriginal()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);
        var content = ResticTestHost.RandomBytes(100);
        var id = await host.UploadAsync("/repo", "snapshots", content);
        var tampered = (byte[])content.Clone();
        tampered[0] ^= 1;

        using var response = await host.SendAsync(HttpMethod.Post, $"/repo/snapshots/{id}", tampered);
        using var get = await host.SendAsync(HttpMethod.Get, $"/repo/snapshots/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_NoVerifyUpload_ComparesWithTheStoredObject()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly with { NoVerifyUpload = true });
        var id = ResticTestHost.Sha256Hex([0]);
        using var first = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", [5, 6, 7]);

        using var same = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", [5, 6, 7]);
        using var sameSizeDifferent = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", [5, 6, 8]);
        using var longer = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", [5, 6, 7, 8]);
        using var get = await host.SendAsync(HttpMethod.Get, $"/repo/keys/{id}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sameSizeDifferent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, longer.StatusCode);
        Assert.Equal(new byte[] { 5, 6, 7 }, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_ConfigWhenPresent_Returns403EvenIfIdentical()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);
        using var first = await host.SendAsync(HttpMethod.Post, "/repo/config", [1, 2, 3]);

        using var again = await host.SendAsync(HttpMethod.Post, "/repo/config", [1, 2, 3]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    [Fact]
    public async Task Post_NewObjectsAndRepository_StillWork()
    {
        await using var host = await ResticTestHost.StartAsync(AppendOnly);

        using var create = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");
        var id = await host.UploadAsync("/repo", "index", ResticTestHost.RandomBytes(30));

        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.True(await host.ExistsAsync($"repo/index/{id}"));
    }
}
