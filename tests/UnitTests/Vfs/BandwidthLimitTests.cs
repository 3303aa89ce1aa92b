using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class BandwidthLimitTests
{
    [Theory]
    [InlineData("10M", 10L << 20, 10L << 20)]
    [InlineData("1.5M", 3L << 19, 3L << 19)]
    [InlineData("512k", 512L << 10, 512L << 10)]
    [InlineData("512K", 512L << 10, 512L << 10)]
    [InlineData("100", 100L << 10, 100L << 10)]
    [InlineData("2.5", 2560L, 2560L)]
    [InlineData("1000B", 1000L, 1000L)]
    [InlineData("1G", 1L << 30, 1L << 30)]
    [InlineData("10MiB", 10L << 20, 10L << 20)]
    [InlineData("10Mi", 10L << 20, 10L << 20)]
    [InlineData("10M:100M", 10L << 20, 100L << 20)]
    [InlineData(" 1M:2M ", 1L << 20, 2L << 20)]
    public void TryParse_RcloneForms_GiveUploadAndDownloadRates(string text, long up, long down)
    {
        Assert.True(BandwidthLimit.TryParse(text, out var limit, out var error), error);
        Assert.Equal(up, limit.UploadBytesPerSecond);
        Assert.Equal(down, limit.DownloadBytesPerSecond);
        Assert.False(limit.IsOff);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    [InlineData("off:off")]
    [InlineData("0")]
    [InlineData("0:0")]
    public void TryParse_OffOrZero_IsNoLimit(string text)
    {
        Assert.True(BandwidthLimit.TryParse(text, out var limit, out var error), error);
        Assert.True(limit.IsOff);
        Assert.Equal(BandwidthLimit.Off, limit);
    }

    [Fact]
    public void TryParse_OneDirectionOff_LimitsOnlyTheOther()
    {
        Assert.True(BandwidthLimit.TryParse("off:1M", out var downOnly, out _));
        Assert.True(BandwidthLimit.TryParse("1M:off", out var upOnly, out _));

        Assert.Null(downOnly.UploadBytesPerSecond);
        Assert.Equal(1L << 20, downOnly.DownloadBytesPerSecond);
        Assert.Equal(1L << 20, upOnly.UploadBytesPerSecond);
        Assert.Null(upOnly.DownloadBytesPerSecond);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("fast", "invalid rate 'fast'")]
    [InlineData("10X", "invalid rate '10X'")]
    [InlineData("-1M", "invalid rate '-1M'")]
    [InlineData("1.2.3M", "invalid rate '1.2.3M'")]
    [InlineData("10M:", "invalid rate ''")]
    [InlineData(":10M", "invalid rate ''")]
    [InlineData("1M:2M:3M", "UP:DOWN")]
    [InlineData("0.5B", "below one byte")]
    [InlineData("9000000000P", "too large")]
    [InlineData("08:00,512k 12:00,10M", "timetables are not supported")]
    public void TryParse_BadInput_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(BandwidthLimit.TryParse(text, out var limit, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("--bwlimit", error, StringComparison.Ordinal);
        Assert.True(limit.IsOff);
    }

    [Theory]
    [InlineData("10M", "10M")]
    [InlineData("10M:100M", "10M:100M")]
    [InlineData("1.5M", "1536K")]
    [InlineData("off:512k", "off:512K")]
    [InlineData("off", "off")]
    public void ToString_RoundTripsRcloneForm(string text, string expected)
    {
        Assert.True(BandwidthLimit.TryParse(text, out var limit, out _));
        Assert.Equal(expected, limit.ToString());
    }
}
