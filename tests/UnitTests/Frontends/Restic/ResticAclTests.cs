using VfsGateway.Frontends.Restic;

namespace VfsGateway.UnitTests.Frontends.Restic;

public sealed class ResticAclTests
{
    private const string File = """
        # comment
        group admins alice carol
        allow @admins modify /
        allow * append /{user}   # own repositories
        allow backup append /team
        allow auditor read /
        """;

    [Theory]
    [InlineData("alice", "team", AclRight.Modify)]
    [InlineData("carol", "", AclRight.Modify)]
    [InlineData("bob", "bob", AclRight.Append)]
    [InlineData("bob", "bob/laptop", AclRight.Append)]
    [InlineData("bob", "bobby", AclRight.None)]
    [InlineData("bob", "team", AclRight.None)]
    [InlineData("backup", "team/x", AclRight.Append)]
    [InlineData("backup", "teamx", AclRight.None)]
    [InlineData("auditor", "team", AclRight.Read)]
    [InlineData("auditor", "auditor", AclRight.Append)]
    [InlineData("", "team", AclRight.None)]
    public void RightFor_HighestMatchingRule(string user, string repository, AclRight expected) =>
        Assert.Equal(expected, ResticAcl.Parse(File).RightFor(user, repository));

    [Theory]
    [InlineData("allow bob write /", "line 1")]
    [InlineData("\nallow bob read team", "line 2")]
    [InlineData("allow @nobody read /", "nobody")]
    [InlineData("allow b/ob read /", "line 1")]
    [InlineData("allow bob read /a/../b", "line 1")]
    [InlineData("deny bob read /", "line 1")]
    [InlineData("quota user bob lots", "line 1: invalid size 'lots'")]
    [InlineData("quota user b/ob 1G", "line 1")]
    [InlineData("quota repo team 1G", "must start with '/'")]
    [InlineData("quota repo /{user} 1G", "quota user * SIZE")]
    [InlineData("quota user bob 1G\nquota user bob 2G", "line 2: a second quota")]
    [InlineData("quota group x 1G", "quota user NAME|* SIZE")]
    public void Parse_Malformed_NamesTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ResticAcl.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice/laptop", "user alice (10 GiB)|repository /alice/laptop (5 MiB)")]
    [InlineData("alice", "user alice (10 GiB)")]
    [InlineData("bob/x", "user bob (1 GiB)|repository /bob (1536 bytes)")]
    [InlineData("carol", "user carol (1 GiB)")]
    [InlineData("", "")]
    public void QuotasFor_UserFolderAndRepositoryPaths(string repository, string expected)
    {
        var acl = ResticAcl.Parse("""
            allow * modify /
            quota user alice 10GiB
            quota user * 1G
            quota repo /alice/laptop 5M   # one repository
            quota repo /bob 1.5K
            """);

        var limits = acl.QuotasFor(repository).Select(l => l.ToString().Replace("the quota of ", string.Empty, StringComparison.Ordinal));

        Assert.Equal(expected, string.Join('|', limits));
        Assert.Equal(4, acl.QuotaCount);
    }
}
