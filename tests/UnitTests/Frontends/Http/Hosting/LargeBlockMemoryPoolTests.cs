using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_AnySize_GivesWholeBlock()
    {
        using var pool = new LargeBlockMemoryPool();
        using var small = pool.Rent(1);
        using var unspecified = pool.Rent();

        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, small.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, unspecified.Memory.Length);
    }

    [Fact]
    public void Rent_AfterReturn_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(first, second);
        Assert.Equal(42, second.Memory.Span[0]);
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }
}
