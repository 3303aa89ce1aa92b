using System.Net;
using Microsoft.AspNetCore.Http;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Restic;
using VfsGateway.UnitTests.Frontends.Http.Auth;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>The --acl file's quota lines (per user folder and per repository path) next to --max-size.</summary>
public sealed class ResticFrontendAclQuotaTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UserQuota_RefusesOnlyThatUser_AndNamesTheLimit()
    {
        await using var host = await StartAsync("allow * modify /\nquota user alice 1000\n");
        await host.UploadAsync("/alice/laptop", "data", ResticTestHost.RandomBytes(600));
        await host.UploadAsync("/alice/desktop", "data", ResticTestHost.RandomBytes(300));
        var over = ResticTestHost.RandomBytes(200);

        using var refused = await host.SendAsync(HttpMethod.Post, $"/alice/desktop/data/{ResticTestHost.Sha256Hex(over)}", over);
        await host.UploadAsync("/bob", "data", ResticTestHost.RandomBytes(5000));

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Contains("the quota of user alice (1000 bytes)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await host.AllFilesAsync()).Count);
    }

    [Fact]
    public async Task ContentLengthOverRepositoryQuota_Returns507BeforeReadingTheBody()
    {
        await using var host = await StartAsync("allow * modify /\nquota user * 1M\nquota repo /alice/laptop 1000\n");
        var content = ResticTestHost.RandomBytes(1001);
        var body = new FaultyStream(content, null);

        var context = await host.SendBodyAsync("POST", $"/alice/laptop/data/{ResticTestHost.Sha256Hex(content)}", body, content.Length);
        var message = await new StreamReader(context.Response.Body).ReadToEndAsync();

        Assert.Equal(StatusCodes.Status507InsufficientStorage, context.Response.StatusCode);
        Assert.Equal(0, body.BytesServed);
        Assert.Contains("repository /alice/laptop (1000 bytes)", message, StringComparison.Ordinal);
        await host.UploadAsync("/alice/other", "data", content);
    }

    [Fact]
    public async Task Start_CountsEachFolderFromStorage_AndReloadKeepsTheUsage()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        await backend.PutAsync(VfsPath.Parse("alice/r/data/ab/x"), new MemoryStream(new byte[700]), new PutOptions(700), CancellationToken.None);
        await backend.PutAsync(VfsPath.Parse("bob/r/keys/y"), new MemoryStream(new byte[900]), new PutOptions(900), CancellationToken.None);
        await using var host = await StartAsync("allow * modify /\nquota user * 1000\n", backend);

        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(301), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(300));
        await host.UploadAsync("/bob/r", "keys", ResticTestHost.RandomBytes(101), HttpStatusCode.InsufficientStorage);

        // A higher limit for bob only: the usage counted so far stays.
        File.WriteAllText(_temp.Sub("acl"), "allow * modify /\nquota user * 1000\nquota user bob 1200\n");
        Assert.Contains("ACL", string.Join(',', host.Frontend.Reload()), StringComparison.Ordinal);
        await host.UploadAsync("/bob/r", "keys", ResticTestHost.RandomBytes(301), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/bob/r", "keys", ResticTestHost.RandomBytes(300));
        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(1), HttpStatusCode.InsufficientStorage);
    }

    [Fact]
    public async Task DeleteAndIdenticalReupload_CountOnce_UnderAUserQuota()
    {
        await using var host = await StartAsync("allow * modify /\nquota user alice 1000\n");
        var content = ResticTestHost.RandomBytes(600);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = $"/alice/r/data/{ResticTestHost.Sha256Hex(content)}";
        var uploads = Enumerable.Range(0, 3).Select(_ => host.SendBodyAsync("POST", path, new GatedStream(content, gate.Task), null)).ToList();
        await Task.Delay(100);
        gate.SetResult();
        var statuses = (await Task.WhenAll(uploads)).Select(c => c.Response.StatusCode).ToList();

        // Without a Content-Length the three reserve as they read: some may be refused, never all.
        Assert.Contains(StatusCodes.Status200OK, statuses);
        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(401), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(400));

        using var delete = await host.SendAsync(HttpMethod.Delete, path);
        await host.UploadAsync("/alice/r", "keys", ResticTestHost.RandomBytes(600));
    }

    [Fact]
    public async Task ParallelUploads_NeverOvershootAnyLimit()
    {
        await using var host = await StartAsync("allow * modify /\nquota user alice 5000\nquota repo /alice/a 3000\n", maxSize: 20_000);
        var contents = Enumerable.Range(0, 24).Select(_ => ResticTestHost.RandomBytes(1000)).ToList();

        var contexts = await Task.WhenAll(contents.Select((c, i) =>
            host.SendBodyAsync("POST", $"/alice/{(i % 2 == 0 ? "a" : "b")}/data/{ResticTestHost.Sha256Hex(c)}", new MemoryStream(c), null)));

        var files = await host.AllFilesAsync();
        var inA = files.Where(f => f.Path.Value.StartsWith("alice/a/", StringComparison.Ordinal)).Sum(f => f.Size);
        var succeeded = contexts.Count(c => c.Response.StatusCode == StatusCodes.Status200OK);
        Assert.Equal(24 - succeeded, contexts.Count(c => c.Response.StatusCode == StatusCodes.Status507InsufficientStorage));
        Assert.Equal(succeeded * 1000L, files.Sum(f => f.Size));
        Assert.InRange(files.Sum(f => f.Size), 1000, 5000);
        Assert.InRange(inA, 0, 3000);
    }

    private async Task<ResticTestHost> StartAsync(string acl, MemoryBackend? backend = null, long? maxSize = null)
    {
        var file = _temp.Sub("acl");
        File.WriteAllText(file, acl);
        return await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, AclFile = file, MaxSize = maxSize }, backend);
    }
}
