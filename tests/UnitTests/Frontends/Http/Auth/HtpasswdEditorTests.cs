using VfsGateway.Frontends.Http.Auth;

namespace VfsGateway.UnitTests.Frontends.Http.Auth;

public sealed class HtpasswdEditorTests
{
    [Fact]
    public async Task AddOrUpdate_MissingFile_CreatesItPrivateWithABcryptLine()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");

        var existed = await HtpasswdEditor.AddOrUpdateAsync(file, "alice", "pw one", 4);

        Assert.False(existed);
        var line = Assert.Single(await File.ReadAllLinesAsync(file));
        Assert.StartsWith("alice:$2y$04$", line, StringComparison.Ordinal);
        Assert.True(BcryptHash.Verify("pw one", line["alice:".Length..]));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task AddOrUpdate_EmptyPassword_ThrowsAndWritesNothing()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");

        await Assert.ThrowsAsync<ArgumentException>(() => HtpasswdEditor.AddOrUpdateAsync(file, "alice", string.Empty, 4));

        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task AddOrUpdate_ExistingUser_ReplacesOnlyItsLineAndKeepsEverythingElse()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        await File.WriteAllTextAsync(file, "# operators\nbob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n\nalice:$apr1$idmWpc.u$oyfYp/v3pJNyl9b.5jpX/1\n# end\nalice:duplicate\n");

        var existed = await HtpasswdEditor.AddOrUpdateAsync(file, "alice", "new", 4);

        Assert.True(existed);
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(5, lines.Length);
        Assert.Equal("# operators", lines[0]);
        Assert.Equal("bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", lines[1]);
        Assert.Equal(string.Empty, lines[2]);
        Assert.True(BcryptHash.Verify("new", lines[3]["alice:".Length..]));
        Assert.Equal("# end", lines[4]);
        Assert.Equal(["htpasswd"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Remove_DropsTheUserAndReportsWhetherItWasThere()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        await HtpasswdEditor.AddOrUpdateAsync(file, "alice", "a", 4);
        await HtpasswdEditor.AddOrUpdateAsync(file, "bob", "b", 4);

        Assert.True(await HtpasswdEditor.RemoveAsync(file, "alice"));
        Assert.False(await HtpasswdEditor.RemoveAsync(file, "alice"));
        Assert.Equal(["bob"], await HtpasswdEditor.ListUsersAsync(file));
    }

    [Fact]
    public async Task ListUsers_InFileOrder()
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");
        await File.WriteAllTextAsync(file, "zed:x\r\n# c\r\nann:y\r\n  \r\nmid:z");

        Assert.Equal(["zed", "ann", "mid"], await HtpasswdEditor.ListUsersAsync(file));
    }

    [Fact]
    public async Task ListAndRemove_MissingFile_Throw()
    {
        using var dir = new TempDir();

        await Assert.ThrowsAsync<FileNotFoundException>(() => HtpasswdEditor.ListUsersAsync(dir.Sub("none")));
        await Assert.ThrowsAsync<FileNotFoundException>(() => HtpasswdEditor.RemoveAsync(dir.Sub("none"), "alice"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("al ice")]
    [InlineData("al:ice")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("tab\t")]
    public async Task AddOrUpdate_InvalidUserName_ThrowsAndWritesNothing(string user)
    {
        using var dir = new TempDir();
        var file = dir.Sub("htpasswd");

        await Assert.ThrowsAsync<ArgumentException>(() => HtpasswdEditor.AddOrUpdateAsync(file, user, "pw", 4));
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Ünïcödé", true)]
    [InlineData("a.b-c_d@example.org", true)]
    [InlineData("user1", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\"b", false)]
    [InlineData("a\nb", false)]
    public void IsValid_UserNames(string user, bool expected) => Assert.Equal(expected, HtpasswdUserName.IsValid(user));
}
