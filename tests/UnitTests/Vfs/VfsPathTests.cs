using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class VfsPathTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("///", "")]
    [InlineData("a", "a")]
    [InlineData("/a/b/", "a/b")]
    [InlineData("//a/b//", "a/b")]
    [InlineData("a b/ü 名/.dot/x..y/...", "a b/ü 名/.dot/x..y/...")]
    public void Parse_Valid_IsCanonical(string? input, string expected)
    {
        var path = VfsPath.Parse(input);

        Assert.Equal(expected, path.Value);
        Assert.Equal(expected, path.ToString());
        Assert.Equal(expected.Length == 0, path.IsRoot);
    }

    [Theory]
    [InlineData("a//b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/./b")]
    [InlineData("a/../b")]
    [InlineData("/../etc/passwd")]
    [InlineData("a/..")]
    [InlineData("a\0b")]
    [InlineData("a\\b")]
    [InlineData("..\\..\\x")]
    public void Parse_Invalid_ThrowsInvalid(string input)
    {
        var e = Assert.Throws<VfsException>(() => VfsPath.Parse(input));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
        Assert.False(VfsPath.TryParse(input, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Default_IsRoot()
    {
        Assert.True(default(VfsPath).IsRoot);
        Assert.Equal(VfsPath.Root, default);
        Assert.Equal(VfsPath.Root, VfsPath.Parse("/"));
        Assert.Equal(string.Empty, VfsPath.Root.Value);
    }

    [Theory]
    [InlineData("a/b/c", "a/b", "c", 3)]
    [InlineData("a", "", "a", 1)]
    [InlineData("", "", "", 0)]
    public void ParentNameDepth_AreConsistent(string input, string parent, string name, int depth)
    {
        var path = VfsPath.Parse(input);

        Assert.Equal(parent, path.Parent.Value);
        Assert.Equal(name, path.Name);
        Assert.Equal(depth, path.Depth);
        Assert.Equal(depth, path.Segments.Length);
    }

    [Fact]
    public void Join_Segment_AppendsIt()
    {
        Assert.Equal("a", VfsPath.Root.Join("a").Value);
        Assert.Equal("a/b c", VfsPath.Parse("a").Join("b c").Value);
    }

    [Theory]
    [InlineData("b/c")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("x\0")]
    [InlineData("x\\y")]
    public void Join_InvalidSegment_ThrowsInvalid(string segment)
    {
        var e = Assert.Throws<VfsException>(() => VfsPath.Parse("a").Join(segment));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public void Combine_JoinsPaths()
    {
        Assert.Equal("a/b/c", VfsPath.Parse("a").Combine(VfsPath.Parse("b/c")).Value);
        Assert.Equal("a", VfsPath.Parse("a").Combine(VfsPath.Root).Value);
        Assert.Equal("b", VfsPath.Root.Combine(VfsPath.Parse("b")).Value);
    }

    [Theory]
    [InlineData("a/b", "", true)]
    [InlineData("a/b", "a", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("ab", "a", false)]
    [InlineData("a", "a/b", false)]
    [InlineData("b/a", "a", false)]
    [InlineData("", "a", false)]
    public void IsUnder_RespectsSegmentBoundaries(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, VfsPath.Parse(path).IsUnder(VfsPath.Parse(ancestor)));

    [Theory]
    [InlineData("a/b/c", "a", "b/c")]
    [InlineData("a/b/c", "", "a/b/c")]
    [InlineData("a/b", "a/b", "")]
    public void RelativeTo_Ancestor_StripsIt(string path, string ancestor, string expected) =>
        Assert.Equal(expected, VfsPath.Parse(path).RelativeTo(VfsPath.Parse(ancestor)).Value);

    [Fact]
    public void RelativeTo_NotAnAncestor_Throws() =>
        Assert.Throws<ArgumentException>(() => VfsPath.Parse("ab/c").RelativeTo(VfsPath.Parse("a")));

    [Fact]
    public void Equality_IsOrdinalAndCaseSensitive()
    {
        Assert.Equal(VfsPath.Parse("/a/b/"), VfsPath.Parse("a/b"));
        Assert.NotEqual(VfsPath.Parse("A"), VfsPath.Parse("a"));
        Assert.Equal(VfsPath.Parse("a/b").GetHashCode(), VfsPath.Parse("a/b/").GetHashCode());
        Assert.True(VfsPath.Parse("a") < VfsPath.Parse("b"));
        Assert.True(VfsPath.Parse("B") < VfsPath.Parse("a"));
    }

    [Fact]
    public void AsDirectoryKey_IsTheFolderNameWithSlash_BelongingToTheFolder()
    {
        var key = VfsPath.Parse("a/dir").AsDirectoryKey();

        Assert.Equal("a/dir/", key.Value);
        Assert.True(key.IsDirectoryKey);
        Assert.Equal(string.Empty, key.Name);
        Assert.Equal(VfsPath.Parse("a/dir"), key.Parent);
        Assert.NotEqual(VfsPath.Parse("a/dir"), key);
        Assert.True(key.IsUnder(VfsPath.Parse("a/dir")));
        Assert.Equal("dir/", key.RelativeTo(VfsPath.Parse("a")).Value);
        Assert.Equal(key, key.AsDirectoryKey());
        Assert.False(VfsPath.Parse("a/dir/").IsDirectoryKey);
    }

    [Fact]
    public void AsDirectoryKey_RootAndPathsBelowAKey_AreInvalid()
    {
        var key = VfsPath.Parse("d").AsDirectoryKey();

        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() => VfsPath.Root.AsDirectoryKey()).Kind);
        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() => key.Join("x")).Kind);
        Assert.Equal(VfsErrorKind.Invalid, Assert.Throws<VfsException>(() => key.Combine(VfsPath.Parse("x"))).Kind);
    }

    [Theory]
    [InlineData("a/b", "a/b", false)]
    [InlineData("a/dir/", "a/dir/", true)]
    [InlineData("d/", "d/", true)]
    [InlineData("", "", false)]
    public void TryParseKey_TrailingSlashIsTheDirectoryKey(string key, string value, bool directoryKey)
    {
        Assert.True(VfsPath.TryParseKey(key, out var path, out _));

        Assert.Equal((value, directoryKey), (path.Value, path.IsDirectoryKey));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("a//")]
    [InlineData("a//b")]
    [InlineData("a/../b/")]
    public void TryParseKey_KeysThatWouldAliasAnother_AreRefused(string key) =>
        Assert.False(VfsPath.TryParseKey(key, out _, out _));
}
