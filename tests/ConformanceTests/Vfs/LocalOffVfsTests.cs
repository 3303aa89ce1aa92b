using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class LocalOffVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Off;

    protected override IBackend CreateBackend(string root) => new LocalBackend(new LocalOptions(root));
}
