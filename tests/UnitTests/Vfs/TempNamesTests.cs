using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class TempNamesTests
{
    [Theory]
    [InlineData("obj")]
    [InlineData("dir/sub/obj.bin")]
    [InlineData("dir/with space ü")]
    public void For_Target_IsShortHiddenSiblingRecognisedAsTemp(string target)
    {
        var path = VfsPath.Parse(target);

        var temp = TempNames.For(path);

        // Short and independent of the target's name, so a 255-byte name still has one (issue 12).
        Assert.Equal(path.Parent, temp.Parent);
        Assert.Matches("^\\.[0-9a-f]{16}\\.partial$", temp.Name);
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

    [Theory]
    [InlineData(".0123456789abcdef.partial")]
    [InlineData(".x.0123456789abcdef.partial")]
    [InlineData(".name with.dots.0123456789abcdef.partial")]
    public void IsTemp_WellFormedOrEarlierVersionsName_IsTrue(string name) =>
        Assert.True(TempNames.IsTemp(name));
}
