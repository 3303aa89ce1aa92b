using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Vfs;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData(0L, null, 10L, 0L, 10L)]
    [InlineData(5L, 3L, 10L, 5L, 3L)]
    [InlineData(8L, 5L, 10L, 8L, 2L)]
    [InlineData(9L, null, 10L, 9L, 1L)]
    [InlineData(10L, 1L, 10L, 10L, 0L)]
    [InlineData(15L, null, 10L, 10L, 0L)]
    [InlineData(0L, 0L, 10L, 0L, 0L)]
    [InlineData(0L, null, 0L, 0L, 0L)]
    [InlineData(3L, 4L, 0L, 0L, 0L)]
    public void Resolve_ClampsToSize(long offset, long? length, long size, long expectedOffset, long expectedCount)
    {
        var (start, count) = new ByteRange(offset, length).Resolve(size);

        Assert.Equal(expectedOffset, start);
        Assert.Equal(expectedCount, count);
    }

    [Theory]
    [InlineData(-1L, null)]
    [InlineData(0L, -1L)]
    public void Resolve_Negative_ThrowsInvalid(long offset, long? length)
    {
        var e = Assert.Throws<VfsException>(() => new ByteRange(offset, length).Resolve(100));

        Assert.Equal(VfsErrorKind.Invalid, e.Kind);
    }
}
