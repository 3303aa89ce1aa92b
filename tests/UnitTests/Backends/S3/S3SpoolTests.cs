using VfsGateway.Backends.S3;

namespace VfsGateway.UnitTests.Backends.S3;

/// <summary>
/// The S3 backend's spools and their buffer pool: chunk-sized buffers are reused across threads
/// (not kept per thread, as ArrayPool.Shared does), at most the retained count; a body that
/// outgrows its first chunk-sized buffer moves to a bigger one with its bytes intact.
/// </summary>
public sealed class S3SpoolTests
{
    private const int Chunk = 2 * S3BufferPool.SharedMax;

    [Fact]
    public void Pool_ChunkSizedBuffers_AreReused_UpToTheRetainedCount()
    {
        var pool = new S3BufferPool(Chunk, retained: 2);
        var a = pool.Rent(Chunk);
        var b = pool.Rent(Chunk);
        var c = pool.Rent(Chunk);
        pool.Return(a);
        pool.Return(b);
        pool.Return(c); // beyond the retained count: left to the GC

        var again = new[] { pool.Rent(Chunk), pool.Rent(Chunk), pool.Rent(Chunk) };
        // By reference: xUnit compares arrays by content, and a fresh array is all zeros like c.
        Assert.Contains(again, x => ReferenceEquals(x, a));
        Assert.Contains(again, x => ReferenceEquals(x, b));
        Assert.DoesNotContain(again, x => ReferenceEquals(x, c));
        Assert.All(again, buffer => Assert.Equal(Chunk, buffer.Length));
    }

    [Fact]
    public async Task Pool_ChunkReturnedOnOneThread_IsRentedOnAnother()
    {
        var pool = new S3BufferPool(Chunk, retained: 1);
        var buffer = pool.Rent(Chunk);
        await Task.Run(() => pool.Return(buffer));
        var other = new Thread(() => Assert.Same(buffer, pool.Rent(Chunk)));
        other.Start();
        other.Join();
    }

    [Theory]
    [InlineData(10, null)]
    [InlineData(Chunk, null)]
    [InlineData((3 * Chunk) + 17, null)]
    [InlineData((3 * Chunk) + 17, (long)(3 * Chunk) + 17)]
    public async Task Fill_BodyLargerThanTheFirstBuffer_KeepsEveryByte(int size, long? limit)
    {
        var pool = new S3BufferPool(Chunk, retained: 2);
        var data = new byte[size];
        new Random(size).NextBytes(data);
        using var spool = await S3Spool.FillAsync(new MemoryStream(data), limit, memoryLimit: 4 * Chunk, spillToDisk: false, md5: false, pool, CancellationToken.None);

        Assert.Equal(size, spool.Length);
        Assert.True(limit is not null || spool.SourceEnded);
        using var read = spool.OpenRead();
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }
}
