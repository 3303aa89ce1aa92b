using VfsGateway.Frontends.Http;

namespace VfsGateway.UnitTests.Frontends.Http;

public sealed class HttpRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=10-", 10, 90)]
    [InlineData("bytes=-5", 95, 5)]
    [InlineData("bytes=-500", 0, 100)]
    [InlineData("bytes=90-1000", 90, 10)]
    [InlineData("BYTES= 1-1 ", 1, 1)]
    public void Parse_OneSatisfiableRange_Partial(string header, long offset, long count)
    {
        Assert.Equal(RangeKind.Partial, HttpRange.Parse(header, 100, out var o, out var c));
        Assert.Equal((offset, count), (o, c));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=")]
    public void Parse_UnusableHeader_WholeObject(string? header)
    {
        Assert.Equal(RangeKind.Full, HttpRange.Parse(header, 100, out var o, out var c));
        Assert.Equal((0L, 100L), (o, c));
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=-1", 0)]
    public void Parse_PastTheEndOrEmpty_Unsatisfiable(string header, long size) =>
        Assert.Equal(RangeKind.Unsatisfiable, HttpRange.Parse(header, size, out _, out _));
}
