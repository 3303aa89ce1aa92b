using System.Reflection;
using VfsGateway.Backends;
using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Architecture;

/// <summary>The layering of ARCHITECTURE.md, checked on the compiled assemblies (CONVENTIONS §6).</summary>
public sealed class LayeringTests
{
    private static readonly Assembly Vfs = typeof(IBackend).Assembly;
    private static readonly Assembly Backends = typeof(BuiltinBackends).Assembly;
    private static readonly Assembly Frontends = typeof(IHttpFrontend).Assembly;

    [Fact]
    public void Frontends_DoNotReference_Backends()
    {
        var referenced = Frontends.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains(Vfs.GetName().Name, referenced);
        Assert.DoesNotContain(Backends.GetName().Name, referenced);
    }

    [Fact]
    public void Vfs_References_NeitherBackendsNorFrontends()
    {
        var referenced = Vfs.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(Backends.GetName().Name, referenced);
        Assert.DoesNotContain(Frontends.GetName().Name, referenced);
        Assert.DoesNotContain("Microsoft.AspNetCore.Http.Abstractions", referenced);
    }

    [Fact]
    public void Backends_DoNotReference_Frontends()
    {
        var referenced = Backends.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(Frontends.GetName().Name, referenced);
    }

    [Fact]
    public void EveryBackendType_IsInternal()
    {
        var publicBackends = Backends.GetTypes().Where(t => t.IsPublic && typeof(IBackend).IsAssignableFrom(t)).Select(t => t.FullName).ToList();
        Assert.Empty(publicBackends);
    }
}
