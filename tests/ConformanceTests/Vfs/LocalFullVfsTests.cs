using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

public sealed class LocalFullVfsTests : VfsCacheModeConformanceTests
{
    protected override VfsCacheMode Mode => VfsCacheMode.Full;

    protected override IBackend CreateBackend(string root) => new LocalBackend(new LocalOptions(root));
}
