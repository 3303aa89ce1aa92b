using System.Buffers;
using System.Collections.Concurrent;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// Kestrel's buffer pool with 64 KiB blocks instead of its default 4 KiB ones. Kestrel receives
/// into one pool block per recv(2) call, so a restic pack upload of 16 MiB took about 4,000
/// receive calls (plus as many pipe segments) instead of about 260; responses are sent from
/// fewer, larger segments as well. Blocks live on the pinned object heap like Kestrel's; at most
/// <see cref="MaxRetainedBlocks"/> free blocks are kept, the rest is left to the GC.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    private const int MaxRetainedBlocks = 256;

    private readonly ConcurrentQueue<Block> _free = new();

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        return _free.TryDequeue(out var block) ? block : new Block(this);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (_free.Count < MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }
}
