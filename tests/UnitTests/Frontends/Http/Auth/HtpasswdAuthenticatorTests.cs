using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Auth;

namespace VfsGateway.UnitTests.Frontends.Http.Auth;

public sealed class HtpasswdAuthenticatorTests : IDisposable
{
    private const string Alice = "alice:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO";   // "alice pw"
    private const string Bob = "bob:$2y$04$BpS2kw1LmsZOizUeJZUarudJwpiIuNYDtUp53/byJmHg0UwjnE0/e";       // "bob pw"
    private const string Carol = "carol:$apr1$1/qLxeN9$tWL0C2L3TPgLzPzGi6NBV/";                          // "carol pw"
    private const string Dave = "dave:{SHA}Ca+pFKc0bpxw1cUr1ZuuG9KBJfU=";                                // "dave pw"

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();

    private string File => _dir.Sub("htpasswd");

    [Theory]
    [InlineData("alice", "alice pw")]
    [InlineData("bob", "bob pw")]
    [InlineData("carol", "carol pw")]
    [InlineData("dave", "dave pw")]
    public void TryAuthenticate_RightPassword_GivesPrincipalNamedAfterTheUser(string user, string password)
    {
        using var auth = Load(Alice, Bob, Carol, Dave);

        Assert.True(auth.TryAuthenticate(Basic(user, password), out var principal));
        Assert.Equal(user, principal.Identity!.Name);
        Assert.True(principal.Identity.IsAuthenticated);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic YWxpY2U=")]               // "alice", no colon
    [InlineData("Basic OmFsaWNlIHB3")]           // ":alice pw", empty user
    public void TryAuthenticate_MalformedHeader_IsFalse(string? header)
    {
        using var auth = Load(Alice);

        Assert.False(auth.TryAuthenticate(header, out _));
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("alice", "")]
    [InlineData("alice", "ALICE PW")]
    [InlineData("mallory", "alice pw")]
    [InlineData("Alice", "alice pw")]
    [InlineData("al ice", "alice pw")]
    [InlineData("../alice", "alice pw")]
    public void TryAuthenticate_WrongCredentials_IsFalse(string user, string password)
    {
        using var auth = Load(Alice, Bob);

        Assert.False(auth.TryAuthenticate(Basic(user, password), out _));
    }

    [Fact]
    public void TryAuthenticate_BasicSchemeIsCaseInsensitiveAndPasswordMayHoldColons()
    {
        var line = "erin:" + BcryptHash.HashPassword("a:b:c", 4);
        using var auth = Load(line);

        var header = "basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("erin:a:b:c"));

        Assert.True(auth.TryAuthenticate(header, out _));
    }

    [Fact]
    public void TryAuthenticate_Repeated_HashesOnceThenUsesTheCache()
    {
        using var auth = Load(Alice);

        for (var i = 0; i < 20; i++)
        {
            Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
        }

        Assert.Equal(1, auth.HashVerifications);
    }

    [Fact]
    public void TryAuthenticate_WrongPasswordAfterCaching_IsStillCheckedAndRefused()
    {
        using var auth = Load(Alice);
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));

        Assert.False(auth.TryAuthenticate(Basic("alice", "wrong"), out _));
        Assert.Equal(2, auth.HashVerifications);
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
        Assert.Equal(2, auth.HashVerifications);
    }

    [Fact]
    public void TryAuthenticate_UnknownUser_CostsAHashLikeAKnownOne()
    {
        using var auth = Load(Alice);

        Assert.False(auth.TryAuthenticate(Basic("nobody", "alice pw"), out _));
        Assert.Equal(1, auth.HashVerifications);
    }

    [Fact]
    public void FileChange_IsPickedUpAfterTheCheckIntervalAndDropsTheCache()
    {
        using var auth = Load(Alice);
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
        var changed = "alice:" + BcryptHash.HashPassword("new pw", 4);
        System.IO.File.WriteAllText(File, changed + "\n" + Bob + "\n");

        _time.Advance(TimeSpan.FromSeconds(29));
        var beforeInterval = auth.TryAuthenticate(Basic("alice", "alice pw"), out _);
        _time.Advance(TimeSpan.FromSeconds(2));
        var oldAfterInterval = auth.TryAuthenticate(Basic("alice", "alice pw"), out _);

        Assert.True(beforeInterval);
        Assert.False(oldAfterInterval);
        Assert.True(auth.TryAuthenticate(Basic("alice", "new pw"), out _));
        Assert.True(auth.TryAuthenticate(Basic("bob", "bob pw"), out _));
    }

    [Fact]
    public void FileReplacedWithSameSizeAndTime_IsStillNoticed()
    {
        using var auth = Load(Alice);
        var info = new FileInfo(File);
        var mtime = info.LastWriteTimeUtc;
        var other = Alice.Replace("alice:", "zlice:", StringComparison.Ordinal);
        var temp = _dir.Sub("replacement");
        System.IO.File.WriteAllText(temp, other + "\n");
        System.IO.File.SetLastWriteTimeUtc(temp, mtime);
        System.IO.File.Move(temp, File, overwrite: true);

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.False(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
        Assert.True(auth.TryAuthenticate(Basic("zlice", "alice pw"), out _));
    }

    [Fact]
    public void UnchangedFile_KeepsTheCacheAcrossChecks()
    {
        using var auth = Load(Alice);
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));

        Assert.Equal(1, auth.HashVerifications);
    }

    [Fact]
    public void ForcedReload_AsOnSighup_DropsTheCache()
    {
        using var auth = Load(Alice);
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));

        Assert.True(auth.Reload(force: true));
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));

        Assert.Equal(2, auth.HashVerifications);
    }

    [Fact]
    public void FileDeletedLater_KeepsTheUsersItHad()
    {
        using var auth = Load(Alice);
        System.IO.File.Delete(File);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
    }

    [Fact]
    public void Load_MissingFile_ThrowsActionableStartupError()
    {
        using var auth = new HtpasswdAuthenticator(File, NullLogger.Instance, _time);

        var e = Assert.Throws<GatewayStartupException>(auth.Load);

        Assert.Contains(File, e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway htpasswd add", e.Message, StringComparison.Ordinal);
        Assert.Contains("--htpasswd", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-auth", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n")]
    [InlineData("bad user:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO\nplain:secret\n")]
    public void Load_NoUsableUsers_ThrowsActionableStartupError(string content)
    {
        System.IO.File.WriteAllText(File, content);
        using var auth = new HtpasswdAuthenticator(File, NullLogger.Instance, _time);

        var e = Assert.Throws<GatewayStartupException>(auth.Load);

        Assert.Contains("gateway htpasswd add", e.Message, StringComparison.Ordinal);
        Assert.Contains("--no-auth", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SkipsInvalidAndUnsupportedLinesButKeepsTheRest()
    {
        using var auth = Load("bad user:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO", "plain:secret", Alice);

        Assert.Equal(1, auth.UserCount);
        Assert.False(auth.TryAuthenticate(Basic("plain", "secret"), out _));
        Assert.True(auth.TryAuthenticate(Basic("alice", "alice pw"), out _));
    }

    [Fact]
    public void MalformedBcryptLine_IsLoggedOnceAtLoadAndNeverMatches()
    {
        // Truncated by a bad copy-paste: the library would throw on it; here it is "no match", never a 500.
        var truncated = "frank:$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSa";
        System.IO.File.WriteAllText(File, truncated + "\n" + Alice + "\n");
        var logger = new VfsGateway.UnitTests.Vfs.Cache.ListLogger();
        using var auth = new HtpasswdAuthenticator(File, logger, _time);
        auth.Load();

        for (var i = 0; i < 3; i++)
        {
            Assert.False(auth.TryAuthenticate(Basic("frank", "alice pw"), out _));
            Assert.False(auth.TryAuthenticate(Basic("frank", string.Empty), out _));
        }

        var warning = Assert.Single(logger.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("'frank'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("malformed bcrypt hash", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("yxeycg670", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, auth.UserCount);
    }

    [Fact]
    public void EmptyPassword_AgainstBcryptHashOfTheEmptyString_IsNoMatch()
    {
        // Apache's `htpasswd -nbB -C 5 user ''`.
        using var auth = Load("empty:$2y$05$C2t1N3xWaytNbzpTtilqC.xEmvyjX9Q/mqYvVt6s0mz63ox08.Z0i");

        Assert.False(auth.TryAuthenticate(Basic("empty", string.Empty), out _));
    }

    public void Dispose() => _dir.Dispose();

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private HtpasswdAuthenticator Load(params string[] lines)
    {
        System.IO.File.WriteAllText(File, string.Join('\n', lines) + "\n");
        var auth = new HtpasswdAuthenticator(File, NullLogger.Instance, _time);
        auth.Load();
        return auth;
    }
}
