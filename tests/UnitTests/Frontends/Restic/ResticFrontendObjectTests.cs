using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using VfsGateway.Frontends.Restic;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticFrontendObjectTests
{
    [Theory]
    [InlineData("keys")]
    [InlineData("locks")]
    [InlineData("snapshots")]
    [InlineData("index")]
    [InlineData("data")]
    public async Task Object_PostHeadGetDelete_RoundTrips(string type)
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(3000);

        var id = await host.UploadAsync("/repo", type, content);
        using var head = await host.SendAsync(HttpMethod.Head, $"/repo/{type}/{id}");
        using var get = await host.SendAsync(HttpMethod.Get, $"/repo/{type}/{id}");
        var body = await get.Content.ReadAsByteArrayAsync();
        using var delete = await host.SendAsync(HttpMethod.Delete, $"/repo/{type}/{id}");
        using var headAfter = await host.SendAsync(HttpMethod.Head, $"/repo/{type}/{id}");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(3000, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(content, body);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, headAfter.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task PostData_IsStoredFannedOutLikeResticLocal()
    {
        await using var host = await ResticTestHost.StartAsync();

        var id = await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(10));

        Assert.Equal([$"repo/data/{id[..2]}/{id}"], (await host.AllFilesAsync()).Select(f => f.Path.Value));
    }

    [Fact]
    public async Task PostObject_ContentNotMatchingName_Returns400AndLeavesNothing()
    {
        await using var host = await ResticTestHost.StartAsync();
        var id = ResticTestHost.Sha256Hex([1, 2, 3]);

        using var create = await host.SendAsync(HttpMethod.Post, "/repo/?create=true");
        using var response = await host.SendAsync(HttpMethod.Post, $"/repo/data/{id}", [1, 2, 4]);
        using var list = await host.SendAsync(HttpMethod.Get, "/repo/data/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[]", await list.Content.ReadAsStringAsync());
        Assert.DoesNotContain(await host.AllFilesAsync(), f => f.Path.Value.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostObject_NoVerifyUpload_AcceptsAnyContent()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, NoVerifyUpload = true });
        var id = ResticTestHost.Sha256Hex([1, 2, 3]);

        using var response = await host.SendAsync(HttpMethod.Post, $"/repo/keys/{id}", [7, 7]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await host.ExistsAsync($"repo/keys/{id}"));
    }

    [Fact]
    public async Task PostObject_Existing_ReplacesWhenNotAppendOnly()
    {
        await using var host = await ResticTestHost.StartAsync(new ResticOptions { NoAuth = true, NoVerifyUpload = true });
        var id = ResticTestHost.Sha256Hex([1]);
        using var first = await host.SendAsync(HttpMethod.Post, $"/keys/{id}", [1, 1, 1]);

        using var second = await host.SendAsync(HttpMethod.Post, $"/keys/{id}", [2, 2]);
        using var get = await host.SendAsync(HttpMethod.Get, $"/keys/{id}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(new byte[] { 2, 2 }, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostObject_BodyShorterThanContentLength_Returns400AndLeavesNothing()
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(1000);
        var id = ResticTestHost.Sha256Hex(content);

        var context = await host.SendBodyAsync("POST", $"/repo/data/{id}", new FaultyStream(content[..600], null), 1000);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task PostObject_ConnectionBreaksMidBody_Returns400AndLeavesNothing()
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(1000);
        var id = ResticTestHost.Sha256Hex(content);
        var failure = new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);

        var context = await host.SendBodyAsync("POST", $"/repo/keys/{id}", new FaultyStream(content[..300], failure), 1000);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }

    [Fact]
    public async Task PostObject_ChunkedWithoutContentLength_VerifiesAtEndOfBody()
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(5000);
        var id = ResticTestHost.Sha256Hex(content);
        var wrong = ResticTestHost.Sha256Hex([0]);

        var good = await host.SendBodyAsync("POST", $"/repo/keys/{id}", new MemoryStream(content), null);
        var bad = await host.SendBodyAsync("POST", $"/repo/keys/{wrong}", new MemoryStream(content), null);

        Assert.Equal(StatusCodes.Status200OK, good.Response.StatusCode);
        Assert.Equal(StatusCodes.Status400BadRequest, bad.Response.StatusCode);
        Assert.Equal([$"repo/keys/{id}"], (await host.AllFilesAsync()).Select(f => f.Path.Value));
    }

    [Fact]
    public async Task PostObject_EmptyObject_IsAccepted()
    {
        await using var host = await ResticTestHost.StartAsync();

        var id = await host.UploadAsync("/repo", "locks", []);
        using var head = await host.SendAsync(HttpMethod.Head, $"/repo/locks/{id}");

        Assert.Equal(0, head.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("bytes=0-99", 0, 100)]
    [InlineData("bytes=100-199", 100, 100)]
    [InlineData("bytes=900-", 900, 100)]
    [InlineData("bytes=950-5000", 950, 50)]
    [InlineData("bytes=-10", 990, 10)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=999-999", 999, 1)]
    public async Task GetObject_Range_Returns206WithContentRange(string range, int offset, int count)
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(1000);
        var id = await host.UploadAsync("/repo", "data", content);

        using var response = await host.SendAsync(HttpMethod.Get, $"/repo/data/{id}", configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(offset, offset + count - 1, 1000), response.Content.Headers.ContentRange);
        Assert.Equal(count, response.Content.Headers.ContentLength);
        Assert.Equal(content.AsSpan(offset, count).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5000-6000")]
    [InlineData("bytes=-0")]
    public async Task GetObject_UnsatisfiableRange_Returns416WithSize(string range)
    {
        await using var host = await ResticTestHost.StartAsync();
        var id = await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(1000));

        using var response = await host.SendAsync(HttpMethod.Get, $"/repo/data/{id}", configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */1000", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=9-3")]
    [InlineData("items=0-1")]
    [InlineData("bytes=x-y")]
    public async Task GetObject_UnsupportedOrMalformedRange_SendsEverything(string range)
    {
        await using var host = await ResticTestHost.StartAsync();
        var content = ResticTestHost.RandomBytes(100);
        var id = await host.UploadAsync("/repo", "snapshots", content);

        using var response = await host.SendAsync(HttpMethod.Get, $"/repo/snapshots/{id}", configure: r => r.Headers.TryAddWithoutValidation("Range", range));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetObject_Missing_Returns404()
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/data/" + ResticTestHost.Sha256Hex([1]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteObject_Missing_Returns200()
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Delete, "/repo/locks/" + ResticTestHost.Sha256Hex([1]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/repo/bogus/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("/repo/keys/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("/repo/keys/notanid")]
    [InlineData("/repo/keys/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.tmp")]
    public async Task PostObject_BadTypeOrName_Returns404AndStoresNothing(string url)
    {
        await using var host = await ResticTestHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Post, url, [1]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await host.AllFilesAsync());
    }
}
