using System.Buffers;
using System.Collections.Concurrent;

namespace VfsGateway.Backends.S3;

/// <summary>
/// The buffers of one backend's spools (<see cref="S3Spool"/>). Buffers of exactly the chunk size
/// (a multipart part, the hot path) are kept, at most <c>retained</c> of them (upload_concurrency + 1:
/// one upload's worth); buffers up to <see cref="SharedMax"/> come from the shared pool; anything
/// else between is allocated and left to the GC.
/// </summary>
/// <remarks>
/// Not <see cref="ArrayPool{T}.Shared"/> for the big ones: it keeps a returned array in the
/// returning thread's own slot first, and a later rent on another thread does not look there, so
/// with spools filled and sent on whichever pool thread runs the continuation every thread ended up
/// holding a chunk of its own. One 1 GiB put through `serve s3 s3:` (8 MiB parts, 4 in flight) left
/// 108 MiB of them on the GC heap, never reused (docs/performance.md, S3 backend, 2026-12-06 04:45).
/// </remarks>
internal sealed class S3BufferPool(int chunkSize, int retained)
{
    /// <summary>Buffers up to this size come from <see cref="ArrayPool{T}.Shared"/> (small puts).</summary>
    public const int SharedMax = 1024 * 1024;

    private readonly ConcurrentQueue<byte[]> _chunks = new();
    private int _count;

    /// <summary>The buffer size kept for reuse.</summary>
    public int ChunkSize => chunkSize;

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes (exactly the chunk size when that is asked for).</summary>
    public byte[] Rent(int minimumLength)
    {
        if (minimumLength <= SharedMax)
        {
            return ArrayPool<byte>.Shared.Rent(Math.Max(1, minimumLength));
        }

        if (minimumLength == chunkSize && _chunks.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref _count);
            return chunk;
        }

        return GC.AllocateUninitializedArray<byte>(minimumLength);
    }

    /// <summary>Gives back a buffer from <see cref="Rent"/>.</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length <= SharedMax)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else if (buffer.Length == chunkSize && Interlocked.Increment(ref _count) <= retained)
        {
            _chunks.Enqueue(buffer);
        }
        else if (buffer.Length == chunkSize)
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
