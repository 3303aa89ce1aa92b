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
    public void Parse_Malformed_NamesTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ResticAcl.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
