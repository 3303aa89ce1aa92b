using VfsGateway.Frontends.Http;

namespace VfsGateway.UnitTests.Frontends.Http;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1234", 1234L)]
    [InlineData("1234B", 1234L)]
    [InlineData("500K", 500L * 1024)]
    [InlineData("500k", 500L * 1024)]
    [InlineData("500KB", 500L * 1024)]
    [InlineData("500KiB", 500L * 1024)]
    [InlineData("500M", 500L * 1024 * 1024)]
    [InlineData("500MiB", 500L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData("2gib", 2L * 1024 * 1024 * 1024)]
    [InlineData("1T", 1L << 40)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData(" 10M ", 10L << 20)]
    [InlineData("1 G", 1L << 30)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void TryParse_Valid_ReturnsBytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes, out var error), error);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("10X")]
    [InlineData("10 KBB")]
    [InlineData("9223372036854775808")]
    [InlineData("9000000P")]
    [InlineData("1e6")]
    public void TryParse_Invalid_ReturnsError(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
