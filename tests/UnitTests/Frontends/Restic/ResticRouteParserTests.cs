using VfsGateway.Frontends.Restic;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticRouteParserTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("/", "Repository", "", "")]
    [InlineData("/a/", "Repository", "a", "a")]
    [InlineData("/a/b/", "Repository", "a/b", "a/b")]
    [InlineData("/config", "Config", "", "config")]
    [InlineData("/a/b/config", "Config", "a/b", "a/b/config")]
    [InlineData("/keys/", "List", "", "keys")]
    [InlineData("/a/data/", "List", "a", "a/data")]
    [InlineData("/a/b/index/" + Id, "Object", "a/b", "a/b/index/" + Id)]
    [InlineData("/a/data/" + Id, "Object", "a", "a/data/01/" + Id)]
    [InlineData("/data/" + Id, "Object", "", "data/01/" + Id)]
    [InlineData("/r%C3%A9po/config", "Config", "répo", "répo/config")]
    public void Parse_ValidPaths_GiveRepositoryAndStorageAddressFromOneParse(string target, string kind, string repository, string path)
    {
        var decoded = Uri.UnescapeDataString(target);

        var parsed = ResticRouteParser.Parse(target + "?x=1", decoded);
        var route = parsed.Route;

        Assert.True(parsed.IsRoute);
        Assert.Equal(Enum.Parse<ResticRouteKind>(kind), route.Kind);
        Assert.Equal(repository, route.Repository.Value);
        Assert.Equal(path, route.Path.Value);
    }

    [Theory]
    [InlineData("/a/b/c/config")]                       // deeper than two levels
    [InlineData("/a/b/c/")]
    [InlineData("/a")]                                  // a repository needs its trailing slash
    [InlineData("/a/bogus/" + Id)]                      // unknown type
    [InlineData("/a/config/" + Id)]                     // config is not an object type
    [InlineData("/a/config/")]
    [InlineData("/a/keys/" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")] // upper case
    [InlineData("/a/keys/0123")]                        // short
    [InlineData("/a/keys/" + Id + "0")]                 // long
    [InlineData("/a/keys/" + Id + "/")]
    [InlineData("/a/keys")]
    [InlineData("//config")]                            // empty repository segment
    [InlineData("/a//config")]
    [InlineData("/../config")]
    [InlineData("/a/../config")]
    [InlineData("/./config")]
    [InlineData("/%2e%2e/config")]
    [InlineData("/%2E%2E/config")]
    [InlineData("/.%2e/config")]
    [InlineData("/%2e/config")]
    [InlineData("/a%2Fb/config")]
    [InlineData("/a%2fb/config")]
    [InlineData("/..%2Fconfig")]
    [InlineData("/a%5Cb/config")]
    [InlineData("/a\\b/config")]
    [InlineData("/..\\config")]
    [InlineData("/a/keys/%2e%2e")]
    public void Parse_NamesNothingOrLeavesTheRepository_Returns404(string target)
    {
        var status = ResticRouteParser.Parse(target, DecodeLikeKestrel(target)).Status;

        Assert.Equal(404, status);
    }

    [Theory]
    [InlineData("/a%00b/config")]
    [InlineData("/%00/config")]
    [InlineData("/a%0Ab/config")]
    [InlineData("/a/keys/%00")]
    public void Parse_NulOrControlCharacters_Returns400(string target)
    {
        var status = ResticRouteParser.Parse(target, DecodeLikeKestrel(target)).Status;

        Assert.Equal(400, status);
    }

    [Fact]
    public void Parse_DecodedPathDisagreesWithRawTarget_Returns400()
    {
        // A server that normalized "/a/x/../config" to "/a/config" must not make us serve /a/config.
        var status = ResticRouteParser.Parse("/a/x/config", "/a/config").Status;

        Assert.Equal(400, status);
    }

    [Fact]
    public void Parse_AbsoluteFormTarget_UsesItsPath()
    {
        var parsed = ResticRouteParser.Parse("http://127.0.0.1:8000/a/config?x", "/a/config");
        var route = parsed.Route;

        Assert.True(parsed.IsRoute);
        Assert.Equal("a/config", route.Path.Value);
    }

    [Fact]
    public void Parse_NoRawTarget_FallsBackToDecodedPathWithTheSameChecks()
    {
        var parsed = ResticRouteParser.Parse(null, "/a/config");
        Assert.True(parsed.IsRoute);
        Assert.Equal("a/config", parsed.Route.Path.Value);
        Assert.Equal(404, ResticRouteParser.Parse(string.Empty, "/a/../config").Status);
        Assert.Equal(404, ResticRouteParser.Parse(null, "/a%2Fb/config").Status);
    }

    [Theory]
    [InlineData(Id, true)]
    [InlineData("", false)]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    public void IsObjectId_Only64LowercaseHex(string name, bool expected) =>
        Assert.Equal(expected, ResticRouteParser.IsObjectId(name));

    /// <summary>Kestrel decodes everything but %2F, and rejects nothing of the above itself.</summary>
    private static string DecodeLikeKestrel(string target) =>
        Uri.UnescapeDataString(target.Replace("%2F", "%252F", StringComparison.Ordinal).Replace("%2f", "%252f", StringComparison.Ordinal));
}
