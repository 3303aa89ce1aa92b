using VfsGateway.Backends.Memory;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class MemoryOffVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Off;

    protected override IBackend CreateBackend(string root) => new MemoryBackend(new MemoryOptions(VfsPath.Root));
}
