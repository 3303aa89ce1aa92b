using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.ConformanceTests.Backends.Memory;

/// <summary>Each backend is a new store; the sub-root sits below a prefix to exercise the root mapping.</summary>
public sealed class MemoryFixture : BackendFixture
{
    public override ValueTask<IBackend> CreateBackendAsync(string subRoot, CancellationToken cancellationToken) =>
        MemoryRegistration.Registration.Factory(
            new BackendConfig(MemoryRegistration.Registration, "conformance/" + subRoot, new Dictionary<string, string>()),
            cancellationToken);
}
