using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>Gives Kestrel (transport and HTTP layers) <see cref="LargeBlockMemoryPool"/>s.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
