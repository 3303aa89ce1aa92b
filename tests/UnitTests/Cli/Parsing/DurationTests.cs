using VfsGateway.Cli.Parsing;

namespace VfsGateway.UnitTests.Cli.Parsing;

public sealed class DurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("90", 90_000)]
    public void TryParse_Valid_ReturnsDuration(string text, long expectedMs)
    {
        Assert.True(Duration.TryParse(text, out var d, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("1h-5m")]
    [InlineData("abc")]
    public void TryParse_Invalid_ReturnsActionableError(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
