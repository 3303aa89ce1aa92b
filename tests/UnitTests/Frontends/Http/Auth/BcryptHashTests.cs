using System.Text;
using VfsGateway.Frontends.Http.Auth;

namespace VfsGateway.UnitTests.Frontends.Http.Auth;

public sealed class BcryptHashTests
{
    /// <summary>The OpenBSD/jBCrypt/Openwall test vectors (kept from our own bcrypt, now tests of the BCrypt.Net-Next wrapper).</summary>
    public static TheoryData<string, string> PublishedVectors => new()
    {
        { string.Empty, "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s." },
        { string.Empty, "$2a$08$HqWuK6/Ng6sg9gQzbLrgb.Tl.ZHfXLhvt/SgVyWhQqgqcZ7ZuUtye" },
        { string.Empty, "$2a$10$k1wbIrmNyFAPwPVPSVa/zecw2BCEnBwVS2GbrmgzxFUOqW9dk4TCW" },
        { "a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe" },
        { "a", "$2a$08$cfcvVd2aQ8CMvoMpP2EBfeodLEkkFJ9umNEfPD18.hUF62qqlC/V." },
        { "abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i" },
        { "abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC" },
        { "~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO" },
        { "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" },
        { "U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK" },
        { "U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a" },
        { "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui" },
    };

    /// <summary>Generated with Apache's htpasswd 2.4 (`htpasswd -nbB -C N user password`).</summary>
    public static TheoryData<string, string> HtpasswdVectors => new()
    {
        { "correct horse", "$2y$10$1C9Qyf4JLOY5l1P5HVWU1OCqFHvnrP9JWFwil4HS0NdnjWb4Gw1E6" },
        { "pässwörd", "$2y$04$eYddV2eOxcUAwjeM.bjZnusuK7KOIdg6rk1vUpZdFfaBLtrKqoLTy" },
        { string.Empty, "$2y$05$C2t1N3xWaytNbzpTtilqC.xEmvyjX9Q/mqYvVt6s0mz63ox08.Z0i" },
        { new string('x', 80), "$2y$04$wI6Lns6c4OC6qyvJITYdtOi59OjO9wBK36BbSvu1/fCHVt4DuDseW" },
    };

    [Theory]
    [MemberData(nameof(PublishedVectors))]
    [MemberData(nameof(HtpasswdVectors))]
    public void Verify_KnownVector_MatchesUnlessThePasswordIsEmpty(string password, string hash)
    {
        // An empty password is "no match" by design, even against a hash of the empty string.
        Assert.Equal(password.Length > 0, BcryptHash.Verify(password, hash));
        Assert.Equal(password.Length > 0, BcryptHash.Verify(Encoding.UTF8.GetBytes(password), hash));
        Assert.True(BcryptHash.TryGetCost(hash, out _));
    }

    [Theory]
    [MemberData(nameof(PublishedVectors))]
    [MemberData(nameof(HtpasswdVectors))]
    public void Library_KnownVector_ReproducesTheHashExactly(string password, string hash)
    {
        // The vector's own salt and cost through BCrypt.Net-Next: the bytes it hashes are the ones Apache and OpenBSD hash.
        Assert.Equal(hash, BCrypt.Net.BCrypt.HashPassword(password, hash[..29]));
    }

    [Theory]
    [MemberData(nameof(HtpasswdVectors))]
    public void Verify_WrongPassword_IsFalse(string password, string hash)
    {
        // Changed at the front: bcrypt ignores everything after the 72nd byte.
        Assert.False(BcryptHash.Verify("!" + password, hash));
        Assert.False(BcryptHash.Verify(password.Length > 0 ? "?" + password[1..] : "x", hash));
    }

    [Fact]
    public void Verify_PasswordsEqualInTheFirst72Bytes_AreTheSame()
    {
        var hash = BcryptHash.HashPassword(new string('y', 72) + "first", BcryptHash.MinCost);

        Assert.True(BcryptHash.Verify(new string('y', 72) + "second", hash));
        Assert.False(BcryptHash.Verify(new string('y', 71), hash));
    }

    [Fact]
    public void Verify_PasswordBytes_AreComparedAsUtf8()
    {
        // "pässwörd" from Apache's htpasswd, which hashes the bytes it is given: here UTF-8.
        const string hash = "$2y$04$eYddV2eOxcUAwjeM.bjZnusuK7KOIdg6rk1vUpZdFfaBLtrKqoLTy";

        Assert.True(BcryptHash.Verify(Encoding.UTF8.GetBytes("pässwörd"), hash));
        Assert.False(BcryptHash.Verify(Encoding.Latin1.GetBytes("pässwörd"), hash));
    }

    [Fact]
    public void Verify_InvalidUtf8Password_IsFalseNotReplacementCharacters()
    {
        var hash = BcryptHash.HashPassword("a\uFFFDb", BcryptHash.MinCost);

        Assert.True(BcryptHash.Verify(Encoding.UTF8.GetBytes("a\uFFFDb"), hash));
        Assert.False(BcryptHash.Verify([(byte)'a', 0xFF, (byte)'b'], hash));
        Assert.False(BcryptHash.Verify([(byte)'a', 0xC3, (byte)'b'], hash));
    }

    [Fact]
    public void HashPassword_ProducesHtpasswdFormatThatVerifies()
    {
        var hash = BcryptHash.HashPassword("s3cret ünïcode", 5);

        Assert.Matches(@"^\$2y\$05\$[./A-Za-z0-9]{53}$", hash);
        Assert.True(BcryptHash.Verify("s3cret ünïcode", hash));
        Assert.False(BcryptHash.Verify("s3cret unicode", hash));
        Assert.NotEqual(hash, BcryptHash.HashPassword("s3cret ünïcode", 5));
    }

    [Fact]
    public void HashPassword_DefaultCost_Is10()
    {
        Assert.StartsWith("$2y$10$", BcryptHash.HashPassword("pw"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    public void HashPassword_CostOutOfRange_Throws(int cost) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BcryptHash.HashPassword("pw", cost));

    [Fact]
    public void HashPassword_EmptyPassword_Throws() =>
        Assert.Throws<ArgumentException>(() => BcryptHash.HashPassword(string.Empty, BcryptHash.MinCost));

    [Theory]
    [InlineData("")]
    [InlineData("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s")]       // too short
    [InlineData("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s..")]     // too long
    [InlineData("$2x$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")]      // unknown minor
    [InlineData("$2$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.a")]      // no minor
    [InlineData("$2a$03$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")]      // cost too low
    [InlineData("$2a$32$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")]      // cost too high
    [InlineData("$2a$0x$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")]      // cost not a number
    [InlineData("$2a$06$DCq7YPn5Rq63x1Lad4cl!.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.")]      // bad salt char
    [InlineData("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s!")]      // bad hash char
    [InlineData("$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s\u00e9")] // non-ASCII
    [InlineData("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=")]
    public void Verify_MalformedHash_IsFalseNeverThrows(string hash)
    {
        Assert.False(BcryptHash.TryGetCost(hash, out _));
        Assert.False(BcryptHash.Verify("a", hash));
        Assert.False(BcryptHash.Verify("a"u8, hash));
        Assert.False(BcryptHash.Verify(string.Empty, hash));
    }
}
