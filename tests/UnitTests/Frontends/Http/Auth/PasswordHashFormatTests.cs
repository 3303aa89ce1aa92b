using System.Text;
using VfsGateway.Frontends.Http.Auth;

namespace VfsGateway.UnitTests.Frontends.Http.Auth;

public sealed class PasswordHashFormatTests
{
    /// <summary>Generated with Apache's htpasswd 2.4 (`htpasswd -nbm user password`).</summary>
    [Theory]
    [InlineData("secret", "$apr1$idmWpc.u$oyfYp/v3pJNyl9b.5jpX/1")]
    [InlineData("a much longer password with spaces and :colons:", "$apr1$aNMrhZ07$WYaCzvEmeVCyo6ieoLQ7V.")]
    [InlineData("", "$apr1$8wQiDxEp$feTF9FMzDbvzgn3T5IoMJ/")]
    [InlineData("carol pw", "$apr1$1/qLxeN9$tWL0C2L3TPgLzPzGi6NBV/")]
    public void Apr1_HtpasswdVector_VerifiesAndReproduces(string password, string hash)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        var salt = hash.Split('$')[2];

        Assert.True(Apr1Crypt.Verify(bytes, hash));
        Assert.True(HtpasswdHash.Verify(bytes, hash));
        Assert.Equal(hash, Apr1Crypt.Hash(bytes, salt));
        Assert.False(Apr1Crypt.Verify(Encoding.UTF8.GetBytes(password + "x"), hash));
    }

    [Theory]
    [InlineData("$apr1$idmWpc.u$oyfYp/v3pJNyl9b.5jpX/")]
    [InlineData("$apr1$toolongsalt$oyfYp/v3pJNyl9b.5jpX/1")]
    [InlineData("$apr1$idmWpc.u")]
    [InlineData("$1$idmWpc.u$oyfYp/v3pJNyl9b.5jpX/1")]
    public void Apr1_Malformed_IsFalse(string hash) => Assert.False(Apr1Crypt.Verify("secret"u8, hash));

    /// <summary>Generated with `htpasswd -nbs user password`.</summary>
    [Theory]
    [InlineData("secret", "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=")]
    [InlineData("dave pw", "{SHA}Ca+pFKc0bpxw1cUr1ZuuG9KBJfU=")]
    public void Sha_HtpasswdVector_Verifies(string password, string hash)
    {
        Assert.True(HtpasswdHash.Verify(Encoding.UTF8.GetBytes(password), hash));
        Assert.False(HtpasswdHash.Verify(Encoding.UTF8.GetBytes(password.ToUpperInvariant() + "1"), hash));
        Assert.True(HtpasswdHash.IsSupported(hash));
    }

    [Theory]
    [InlineData("secret")]                                  // plain text (Apache on Windows only)
    [InlineData("abJnggxhB/yWI")]                           // crypt(3) DES
    [InlineData("{SHA}notbase64!")]
    [InlineData("{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=")]
    public void Unsupported_IsRejected(string hash)
    {
        Assert.False(HtpasswdHash.IsSupported(hash));
        Assert.False(HtpasswdHash.Verify("secret"u8, hash));
    }

    [Theory]
    [InlineData("$2y$04$yxeycg670rTCgmeLXlDufuSWptqO66tw1.g.wk/VgJ94D/bDWRSaO", "$2y$04$")]
    [InlineData("$apr1$1/qLxeN9$tWL0C2L3TPgLzPzGi6NBV/", "$apr1$")]
    [InlineData("{SHA}Ca+pFKc0bpxw1cUr1ZuuG9KBJfU=", "{SHA}")]
    public void CreateDummyLike_HasTheTemplatesFormat(string template, string prefix)
    {
        var dummy = HtpasswdHash.CreateDummyLike(template);

        Assert.StartsWith(prefix, dummy, StringComparison.Ordinal);
        Assert.True(HtpasswdHash.IsSupported(dummy));
        Assert.NotEqual(template, dummy);
    }
}
