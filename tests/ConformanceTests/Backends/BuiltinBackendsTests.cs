using VfsGateway.Backends;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends;

public sealed class BuiltinBackendsTests
{
    [Fact]
    public void CreateRegistry_HasLocalAndMemory()
    {
        var registry = BuiltinBackends.CreateRegistry();

        Assert.Contains("local", registry.All.Select(r => r.Name));
        Assert.Contains("memory", registry.All.Select(r => r.Name));
        Assert.All(registry.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Fact]
    public async Task CreateRegistry_MemoryFactory_BuildsAWorkingBackend()
    {
        var registration = BuiltinBackends.CreateRegistry().Get("MEMORY");

        await using var backend = await registration.Factory(new BackendConfig(registration, "x", new Dictionary<string, string>()), default);
        await backend.PutAsync(VfsPath.Parse("f"), new MemoryStream([1, 2]), new PutOptions(2), default);

        Assert.Equal(2, (await backend.StatAsync(VfsPath.Parse("f"), default)).Size);
    }
}
