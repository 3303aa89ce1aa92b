using System.Net;
using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>Backend failures reach the client through the one mapping table.</summary>
public sealed class ResticFrontendErrorTests
{
    [Theory]
    [InlineData(VfsErrorKind.InsufficientStorage, HttpStatusCode.InsufficientStorage)]
    [InlineData(VfsErrorKind.PermissionDenied, HttpStatusCode.Forbidden)]
    [InlineData(VfsErrorKind.AlreadyExists, HttpStatusCode.Forbidden)]
    [InlineData(VfsErrorKind.NotSupported, HttpStatusCode.NotImplemented)]
    [InlineData(VfsErrorKind.Invalid, HttpStatusCode.BadRequest)]
    [InlineData(VfsErrorKind.DirNotEmpty, HttpStatusCode.InternalServerError)]
    public async Task Put_BackendError_MapsToStatus(VfsErrorKind kind, HttpStatusCode expected)
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root))
        {
            FaultInjector = (operation, _) => operation == "put" ? new VfsException(kind, "injected") : null,
        };
        await using var host = await ResticTestHost.StartAsync(backend: backend);

        await host.UploadAsync("/repo", "data", ResticTestHost.RandomBytes(10), expected);
    }

    [Fact]
    public async Task Get_TransientBackendError_Returns500AndLogsTheException()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root))
        {
            FaultInjector = (operation, _) => operation == "stat" ? new VfsException(VfsErrorKind.Transient, "injected outage") : null,
        };
        await using var host = await ResticTestHost.StartAsync(backend: backend);

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/config");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal) && l.Contains("injected outage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_UnexpectedException_Returns500()
    {
        var backend = new MemoryBackend(new MemoryOptions(VfsPath.Root))
        {
            FaultInjector = (operation, _) => operation == "list" ? new InvalidOperationException("boom") : null,
        };
        await using var host = await ResticTestHost.StartAsync(backend: backend);

        using var response = await host.SendAsync(HttpMethod.Get, "/repo/keys/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Head_DirectoryWhereObjectShouldBe_Returns404()
    {
        await using var host = await ResticTestHost.StartAsync();
        await host.Vfs.MkdirAsync(VfsPath.Parse("repo/config"), CancellationToken.None);

        using var response = await host.SendAsync(HttpMethod.Head, "/repo/config");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
