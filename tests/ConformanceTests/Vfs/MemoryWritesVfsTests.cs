using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class MemoryWritesVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Writes;

    protected override IBackend CreateBackend(string root) => new MemoryBackend(new MemoryOptions(VfsPath.Root));
}
