namespace VfsGateway.Backends.Memory;

/// <summary>
/// Builds the chunk list of a <see cref="MemoryFile"/>: every chunk but the last is full, which is
/// what <see cref="MemoryReadStream"/> relies on to find a byte. Callers either read a stream
/// straight into <see cref="GetSpace"/> or copy spans in with <see cref="Append"/>.
/// </summary>
internal sealed class MemoryChunkBuilder
{
    private readonly List<byte[]> _chunks = [];
    private int _used = MemoryFile.ChunkSize;

    public long Length { get; private set; }

    /// <summary>The free rest of the current chunk (a new one when it is full); fill it, then call <see cref="Advance"/>.</summary>
    public Memory<byte> GetSpace()
    {
        if (_used == MemoryFile.ChunkSize)
        {
            _chunks.Add(new byte[MemoryFile.ChunkSize]);
            _used = 0;
        }

        return _chunks[^1].AsMemory(_used);
    }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var space = GetSpace().Span;
            var n = Math.Min(space.Length, data.Length);
            data[..n].CopyTo(space);
            Advance(n);
            data = data[n..];
        }
    }

    /// <summary>The chunks, the last one trimmed so that many small objects do not each hold a whole chunk.</summary>
    public IReadOnlyList<byte[]> Build()
    {
        if (_chunks.Count > 0 && _used < MemoryFile.ChunkSize)
        {
            if (_used == 0)
            {
                _chunks.RemoveAt(_chunks.Count - 1);
            }
            else
            {
                var last = _chunks[^1];
                Array.Resize(ref last, _used);
                _chunks[^1] = last;
            }
        }

        return _chunks;
    }
}
