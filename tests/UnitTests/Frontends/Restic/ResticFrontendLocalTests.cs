using System.Net;
using Microsoft.AspNetCore.Http;
using VfsGateway.Backends.Local;
using VfsGateway.Frontends.Restic;
using VfsGateway.UnitTests.Frontends.Http.Auth;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>The same protocol over the local backend: the disk layout is restic's, and failed uploads leave no file behind.</summary>
public sealed class ResticFrontendLocalTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Create_MakesTheDirectoriesOnDisk()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var dir in new[] { "data", "keys", "locks", "snapshots", "index" })
        {
            Assert.True(Directory.Exists(Path.Combine(_dir.Path, "repo", dir)), dir);
        }

        Assert.Equal(256, Directory.GetDirectories(Path.Combine(_dir.Path, "repo", "data")).Length);
    }

    [Fact]
    public async Task Upload_StoresDataFannedOutOnDiskAndNothingElse()
    {
        await using var host = await StartAsync();
        var content = ResticTestHost.RandomBytes(300_000);

        var id = await host.UploadAsync("/repo", "data", content);
        var key = await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(10));

        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "repo", "data", id[..2], id)));
        Assert.Equal(
            new[] { Path.Combine("repo", "data", id[..2], id), Path.Combine("repo", "keys", key) }.Order(StringComparer.Ordinal),
            Files().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HashMismatch_LeavesNoFileOrTemporaryOnDisk()
    {
        await using var host = await StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, $"/repo/data/{ResticTestHost.Sha256Hex([1])}", ResticTestHost.RandomBytes(200_000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Files());
    }

    [Fact]
    public async Task TruncatedAndBrokenBodies_LeaveNoFileOrTemporaryOnDisk()
    {
        await using var host = await StartAsync();
        var content = ResticTestHost.RandomBytes(400_000);
        var id = ResticTestHost.Sha256Hex(content);

        var shortBody = await host.SendBodyAsync("POST", $"/repo/data/{id}", new FaultyStream(content[..250_000], null), content.Length);
        var broken = await host.SendBodyAsync("POST", $"/repo/data/{id}", new FaultyStream(content[..250_000], new IOException("connection reset")), content.Length);

        Assert.Equal(StatusCodes.Status400BadRequest, shortBody.Response.StatusCode);
        Assert.Equal(StatusCodes.Status400BadRequest, broken.Response.StatusCode);
        Assert.Empty(Files());
    }

    [Fact]
    public async Task QuotaOverrunMidStream_LeavesNoFileOrTemporaryOnDisk()
    {
        await using var host = await StartAsync(new ResticOptions { NoAuth = true, MaxSize = 100_000 });
        var content = ResticTestHost.RandomBytes(300_000);

        var context = await host.SendBodyAsync("POST", $"/repo/data/{ResticTestHost.Sha256Hex(content)}", new MemoryStream(content), null);

        Assert.Equal(StatusCodes.Status507InsufficientStorage, context.Response.StatusCode);
        Assert.Empty(Files());
    }

    [Fact]
    public async Task List_Data_ReadsTheFanOutFromDiskAndSkipsForeignFiles()
    {
        await using var host = await StartAsync();
        using var create = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(100 + i)));
        }

        var first = ids.First();
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "repo", "data", first[..2], first + ".rest-server-temp123"), "x");
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "repo", "data", "README"), "x");

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/data/");
        var names = System.Text.Json.JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(ids, names.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_QuotaCountsTheFilesOnDisk()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "old", "keys"));
        await File.WriteAllBytesAsync(Path.Combine(_dir.Path, "old", "keys", "x"), new byte[950]);
        await using var host = await StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 });

        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(51), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(50), HttpStatusCode.OK);
    }

    public void Dispose() => _dir.Dispose();

    private Task<ResticTestHost> StartAsync(ResticOptions? options = null) =>
        ResticTestHost.StartAsync(options ?? new ResticOptions { NoAuth = true }, new LocalBackend(new LocalOptions(_dir.Path)));

    private IEnumerable<string> Files() =>
        Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_dir.Path, f));
}
