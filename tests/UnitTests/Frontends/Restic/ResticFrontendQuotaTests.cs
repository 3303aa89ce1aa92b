using System.Net;
using Microsoft.AspNetCore.Http;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Restic;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendQuotaTests
{
    [Fact]
    public async Task Post_ContentLengthOverQuota_Returns507BeforeReadingTheBody()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 });
        var content = ResticTestHost.RandomBytes(1001);
        var body = new FaultyStream(content, null);

        var context = await host.SendBodyAsync("POST", $"/repo/data/{ResticTestHost.Sha256Hex(content)}", body, content.Length);

        Assert.Equal(StatusCodes.Status507InsufficientStorage, context.Response.StatusCode);
        Assert.Equal(0, body.BytesServed);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task Post_OverrunWithoutContentLength_Returns507AndLeavesNothing()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 });
        var kept = await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(400));
        var content = ResticTestHost.RandomBytes(700);

        var context = await host.SendBodyAsync("POST", $"/repo/data/{ResticTestHost.Sha256Hex(content)}", new MemoryStream(content), null);
        var fits = await host.SendBodyAsync("POST", $"/repo/data/{ResticTestHost.Sha256Hex(content[..600])}", new MemoryStream(content[..600]), null);

        Assert.Equal(StatusCodes.Status507InsufficientStorage, context.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, fits.Response.StatusCode);
        Assert.Equal(2, (await host.AllFilesAsync()).Count);
        Assert.True(await host.ExistsAsync($"repo/keys/{kept}"));
    }

    [Fact]
    public async Task Delete_GivesSpaceBack()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 });
        var first = await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(800));
        var next = ResticTestHost.RandomBytes(800);
        await host.UploadAsync("/repo", "data", next, HttpStatusCode.InsufficientStorage);

        using var delete = await host.SendAsync(HttpMethod.Delete, $"/repo/data/{first}");
        await host.UploadAsync("/repo", "data", next, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
    }

    [Fact]
    public async Task Overwrite_AccountsForTheOldSize()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000, NoVerifyUpload = true });
        var id = ResticTestHost.Sha256Hex([1]);
        using var first = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", new byte[300]);
        using var second = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", new byte[300]);
        using var third = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", new byte[300]);

        // 300 in use; were each overwrite counted in full, 900 would be used and 200 more would not fit.
        await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(650), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task ParallelUploadsOfOneObject_CountItOnce()
    {
        // Issue 12: four uploads of one blob in flight together used to keep 4x its size until restart.
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 5000 });
        var content = ResticTestHost.RandomBytes(1000);
        var path = $"/repo/data/{ResticTestHost.Sha256Hex(content)}";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploads = Enumerable.Range(0, 4).Select(_ => host.SendBodyAsync("POST", path, new GatedStream(content, gate.Task), content.Length)).ToList();
        await Task.Delay(200);
        gate.SetResult();

        var statuses = (await Task.WhenAll(uploads)).Select(c => c.Response.StatusCode);

        Assert.All(statuses, s => Assert.Equal(StatusCodes.Status200OK, s));
        await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(3900), HttpStatusCode.OK);
        await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(101), HttpStatusCode.InsufficientStorage);
    }

    [Fact]
    public async Task Start_CountsWhatIsAlreadyStored()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        await backend.PutAsync(VfsPath.Parse("old/data/ab/x"), new MemoryStream(new byte[900]), new PutOptions(900), CancellationToken.None);
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 }, backend);

        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(101), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(100), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IdenticalReupload_CountsOnce(bool appendOnly)
    {
        // Issue 12: a retried upload of a blob that is already stored keeps no reservation, in either mode
        // (append-only answers it without storing, the normal mode overwrites it).
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000, AppendOnly = appendOnly });
        var content = ResticTestHost.RandomBytes(400);
        for (var i = 0; i < 3; i++)
        {
            await host.UploadAsync("/repo", "data", content, HttpStatusCode.OK);
        }

        // 400 in use; had each re-upload kept its reservation, 1000 would be and nothing more would fit.
        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(601), HttpStatusCode.InsufficientStorage);
        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(600), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_LeftoverTempFilesOfInterruptedUploads_DoNotCount()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root));
        var temp = TempNames.For(VfsPath.Parse("repo/data/ab/x"));
        await backend.PutAsync(temp, new MemoryStream(new byte[900]), new PutOptions(900), CancellationToken.None);
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 }, backend);

        await host.UploadAsync("/repo", "keys", ResticTestHost.RandomBytes(1000), HttpStatusCode.OK);
    }

    [Fact]
    public async Task FailedUpload_ReleasesItsReservation()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 1000 });
        var content = ResticTestHost.RandomBytes(900);

        // Wrong name: 400 after all 900 bytes were reserved.
        using var bad = await host.SendAsync(HttpMethod.Post, $"/repo/data/{ResticTestHost.Sha256Hex([0])}", content);
        await host.UploadAsync("/repo", "data", content, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task ParallelUploads_NeverOvershootTogether()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, MaxSize = 10_000 });
        var contents = Enumerable.Range(0, 30).Select(_ => ResticTestHost.RandomBytes(1000)).ToList();

        var contexts = await Task.WhenAll(contents.Select(c =>
            host.SendBodyAsync("POST", $"/repo/data/{ResticTestHost.Sha256Hex(c)}", new MemoryStream(c), null)));

        // Reservations are taken per read, so two uploads can each get half-way and both fail:
        // at most ten fit, every other one is a 507, and what is stored is exactly what succeeded.
        var stored = (await host.AllFilesAsync()).Sum(f => f.Size);
        var succeeded = contexts.Count(c => c.Response.StatusCode == StatusCodes.Status200OK);
        Assert.InRange(succeeded, 1, 10);
        Assert.Equal(30 - succeeded, contexts.Count(c => c.Response.StatusCode == StatusCodes.Status507InsufficientStorage));
        Assert.Equal(succeeded * 1000L, stored);
    }
}
