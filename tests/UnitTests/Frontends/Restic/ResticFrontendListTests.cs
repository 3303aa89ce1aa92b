using System.Net;
using System.Text.Json;
using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendListTests
{
    private const string V1 = "application/vnd.x.restic.rest.v1";
    private const string V2 = "application/vnd.x.restic.rest.v2";

    [Fact]
    public async Task List_V1_ReturnsNamesWithV1ContentType()
    {
        await using var host = await ResticTestHost.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(10 + i)));
        }

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/keys/");
        var names = JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(V1, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ids.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_V2_ReturnsNamesAndSizesWithV2ContentType()
    {
        await using var host = await ResticTestHost.StartAsync();
        var small = await host.UploadAsync("/a/b", "data", ResticTestHost.RandomBytes(10));
        var large = await host.UploadAsync("/a/b", "data", ResticTestHost.RandomBytes(70_000));

        using var response = await host.SendAsync(HttpMethod.Get, "/a/b/data/", configure: r => r.Headers.Add("Accept", V2));
        var blobs = JsonSerializer.Deserialize<Blob[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(V2, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            new[] { new Blob(small, 10), new Blob(large, 70_000) }.OrderBy(b => b.name, StringComparer.Ordinal),
            blobs.OrderBy(b => b.name, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(V1)]
    [InlineData(V2)]
    public async Task List_EmptyDirectory_ReturnsEmptyArray_MissingRepository_Returns404(string accept)
    {
        await using var host = await ResticTestHost.StartAsync();
        using var create = await host.SendAsync(HttpMethod.Post, "/created/?create=true");

        using var empty = await host.SendAsync(HttpMethod.Get, "/created/snapshots/", configure: r => r.Headers.Add("Accept", accept));
        using var emptyData = await host.SendAsync(HttpMethod.Get, "/created/data/", configure: r => r.Headers.Add("Accept", accept));
        using var missing = await host.SendAsync(HttpMethod.Get, "/never/index/", configure: r => r.Headers.Add("Accept", accept));

        foreach (var response in new[] { empty, emptyData })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(accept, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        }

        // As rest-server 0.14: a repository (or type directory) that does not exist is not an empty one.
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task List_OnlyValidObjectNamesInTheRightPlace_AreListed()
    {
        await using var host = await ResticTestHost.StartAsync();
        var data = await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(5));
        var key = await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(5));
        var other = ResticTestHost.Sha256Hex([9]);
        var misplaced = (other[..2] == "00" ? "01" : "00") + other[2..];
        foreach (var junk in new[]
        {
            "repo/data/ab/notanid",
            $"repo/data/{other[..2]}/{misplaced}",     // in the wrong fan-out directory
            $"repo/data/{other}",                      // flat, not fanned out
            $"repo/data/{other[..2]}/{other}.tmp",
            $"repo/keys/{other}.rest-server-temp",
            $"repo/keys/sub/{other}",
            $"repo/keys/{other.ToUpperInvariant()}",
        })
        {
            await host.Vfs.PutAsync(VfsPath.Parse(junk), new MemoryStream([1]), new PutOptions(1), CancellationToken.None);
        }

        using var dataList = await host.SendAsync(HttpMethod.Get, "/repo/data/");
        using var keyList = await host.SendAsync(HttpMethod.Get, "/repo/keys/", configure: r => r.Headers.Add("Accept", V2));

        Assert.Equal([data], JsonSerializer.Deserialize<string[]>(await dataList.Content.ReadAsStringAsync())!);
        Assert.Equal([new Blob(key, 5)], JsonSerializer.Deserialize<Blob[]>(await keyList.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task List_Data_WalksFanOutWithoutNativeRecursiveListing()
    {
        var backend = new GeneratedListingBackend(new MemoryBackend(new MemoryOptions(VfsPath.Root)), VfsPath.Parse("unused"), 0);
        await using var host = await ResticTestHost.StartAsync(backend: backend);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await host.UploadAsync("/r", "data", ResticTestHost.RandomBytes(8 + i)));
        }

        using var response = await host.SendAsync(HttpMethod.Get, "/r/data/");

        Assert.Equal(ids, JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_ManyObjects_IsStreamedWhileTheClientReads()
    {
        const int count = 200_000;
        var backend = new GeneratedListingBackend(new MemoryBackend(new MemoryOptions(VfsPath.Root)), VfsPath.Parse("repo/keys"), count);
        await using var host = await ResticTestHost.StartAsync(backend: backend);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/repo/keys/");
        request.Headers.Add("Accept", V2);
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var first = new byte[64 * 1024];
        await stream.ReadExactlyAsync(first);
        var producedWhileClientHadReadLittle = backend.Produced;
        using var reader = new StreamReader(stream);
        var rest = await reader.ReadToEndAsync();
        var all = JsonSerializer.Deserialize<Blob[]>(System.Text.Encoding.UTF8.GetString(first) + rest)!;

        // 200,000 entries are ~17 MB of JSON; after 64 KB only a small part may have been produced.
        Assert.True(producedWhileClientHadReadLittle < count / 4, $"{producedWhileClientHadReadLittle} of {count} produced before the client read 64 KB");
        Assert.Equal(count, all.Length);
        Assert.Equal(new Blob(GeneratedListingBackend.IdFor(count - 1), count - 1), all[^1]);
    }

#pragma warning disable IDE1006, SA1300 // JSON member names as restic sends them.
    private sealed record Blob(string name, long size);
#pragma warning restore IDE1006, SA1300
}
