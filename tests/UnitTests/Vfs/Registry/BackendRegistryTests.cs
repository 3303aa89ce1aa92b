using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.UnitTests.Vfs.Registry;

public sealed class BackendRegistryTests
{
    private static BackendRegistration Registration(string name) =>
        new(name, name + " storage", [], (_, _) => throw new NotSupportedException());

    [Fact]
    public void Get_IsCaseInsensitive()
    {
        var registry = new BackendRegistry().Add(Registration("sftp"));

        Assert.Equal("sftp", registry.Get("SFTP").Name);
        Assert.True(registry.TryGet("Sftp", out var found));
        Assert.Equal("sftp", found.Name);
    }

    [Fact]
    public void Get_Unknown_ThrowsInvalidListingKnownTypes()
    {
        var registry = new BackendRegistry().Add(Registration("sftp")).Add(Registration("local"));

        var e = Assert.Throws<VfsException>(() => registry.Get("s4"));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.Contains("s4", e.Message, StringComparison.Ordinal);
        Assert.Contains("local, sftp", e.Message, StringComparison.Ordinal);
        Assert.False(registry.TryGet("s4", out _));
    }

    [Fact]
    public void Add_Twice_Throws()
    {
        var registry = new BackendRegistry().Add(Registration("local"));

        Assert.Throws<InvalidOperationException>(() => registry.Add(Registration("LOCAL")));
    }

    [Fact]
    public void All_IsSortedByName()
    {
        var registry = new BackendRegistry().Add(Registration("sftp")).Add(Registration("azureblob")).Add(Registration("local"));

        Assert.Equal(["azureblob", "local", "sftp"], registry.All.Select(r => r.Name));
    }
}
