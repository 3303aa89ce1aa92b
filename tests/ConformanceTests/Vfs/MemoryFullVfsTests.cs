using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class MemoryFullVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Full;

    protected override IBackend CreateBackend(string root) => new MemoryBackend(new MemoryOptions(VfsPath.Root));
}
