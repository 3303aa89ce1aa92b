using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class TempNamesTests
{
    [Theory]
    [InlineData("obj")]
    [InlineData("dir/sub/obj.bin")]
    [InlineData("dir/with space ü")]
    public void For_Target_IsHiddenSiblingRecognisedAsTemp(string target)
    {
        var path = VfsPath.Parse(target);

        var temp = TempNames.For(path);

        Assert.Equal(path.Parent, temp.Parent);
        Assert.StartsWith("." + path.Name + ".", temp.Name, StringComparison.Ordinal);
        Assert.EndsWith(".partial", temp.Name, StringComparison.Ordinal);
        Assert.True(TempNames.IsTemp(temp.Name));
        Assert.False(TempNames.IsTemp(path.Name));
    }

    [Fact]
    public void For_TwoCalls_DifferSoConcurrentUploadsDoNotCollide() =>
        Assert.NotEqual(TempNames.For(VfsPath.Parse("a")), TempNames.For(VfsPath.Parse("a")));

    [Theory]
    [InlineData("file.partial")]
    [InlineData(".x.partial")]
    [InlineData(".x.0123456789abcdef.partia")]
    [InlineData(".x.0123456789ABCDEF.partial")]
    [InlineData(".x.0123456789abcde.partial")]
    [InlineData(".x-0123456789abcdef.partial")]
    [InlineData("x.0123456789abcdef.partial")]
    [InlineData("data")]
    [InlineData("")]
    public void IsTemp_OrdinaryOrMalformedName_IsFalse(string name) =>
        Assert.False(TempNames.IsTemp(name));

    [Fact]
    public void IsTemp_WellFormedName_IsTrue() =>
        Assert.True(TempNames.IsTemp(".x.0123456789abcdef.partial"));
}
