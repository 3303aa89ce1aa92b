using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class LocalWritesVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Writes;

    protected override IBackend CreateBackend(string root) => new LocalBackend(new LocalOptions(root));
}
