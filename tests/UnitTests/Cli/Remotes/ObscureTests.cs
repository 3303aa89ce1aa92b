using System.Text;
using VfsGateway.Cli.Remotes;

namespace VfsGateway.UnitTests.Cli.Remotes;

public sealed class ObscureTests
{
    // rclone's fs/config/obscure/obscure_test.go vectors: (plain, obscured, IV).
    [Theory]
    [InlineData("", "YWFhYWFhYWFhYWFhYWFhYQ", "aaaaaaaaaaaaaaaa")]
    [InlineData("potato", "YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ", "aaaaaaaaaaaaaaaa")]
    [InlineData("potato", "YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw", "bbbbbbbbbbbbbbbb")]
    public void Hide_RcloneVector_MatchesAndReveals(string plain, string obscured, string iv)
    {
        Assert.Equal(obscured, Obscure.Hide(plain, Encoding.ASCII.GetBytes(iv)));
        Assert.True(Obscure.TryReveal(obscured, out var revealed));
        Assert.Equal(plain, revealed);
    }

    [Theory]
    [InlineData("potato")]
    [InlineData("pass with spaces, # and ü and a long tail past one AES block")]
    public void Hide_RandomIv_RevealsBackAndDiffersEachTime(string plain)
    {
        var first = Obscure.Hide(plain);
        var second = Obscure.Hide(plain);

        Assert.NotEqual(first, second);
        Assert.DoesNotContain('=', first);
        Assert.True(Obscure.TryReveal(first, out var revealed));
        Assert.Equal(plain, revealed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("has+plus/and/slash/base64/chars")]
    [InlineData("YWFhYWFhYWFhYWFhYWFh")]
    public void TryReveal_NotObscured_False(string value) => Assert.False(Obscure.TryReveal(value, out _));

    [Theory]
    [InlineData("plain-hunter2")]
    [InlineData("corpus/Secret+key")]
    public void RevealIfObscured_Plaintext_KeptAsWritten(string value) => Assert.Equal(value, Obscure.RevealIfObscured(value));

    [Fact]
    public void RevealIfObscured_Obscured_Revealed() => Assert.Equal("potato", Obscure.RevealIfObscured("YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw"));
}
