namespace VfsGateway.Vfs.Cache;

/// <summary>
/// One generation of an item's bytes on disk. A new write or an invalidation makes a new
/// generation (a new file) instead of overwriting, so open readers keep a consistent view and a
/// crash never leaves a record pointing at half-replaced bytes.
/// </summary>
internal sealed class CacheData
{
    // Ranges only grow within a generation, so once every byte is present it stays present: a
    // reader that saw this set may read without the item's lock (CacheReadStream's fast path).
    private volatile bool _complete;

    public CacheData(long generation, string filePath, long size, RangeMap ranges)
    {
        Generation = generation;
        FilePath = filePath;
        Size = size;
        Ranges = ranges;
        _complete = ranges.Covered >= size;
    }

    public long Generation { get; }

    public string FilePath { get; }

    public long Size { get; }

    /// <summary>Guarded by the owning item's lock; add through <see cref="AddRange"/>.</summary>
    public RangeMap Ranges { get; }

    /// <summary>Every byte is present. Safe to read without the item's lock.</summary>
    public bool IsComplete => _complete;

    /// <summary>Ranges were added since the record was last written. Guarded by the item's lock.</summary>
    public bool RangesChanged { get; set; }

    /// <summary>Records [start, end) as present (its bytes are written). Caller holds the item's lock.</summary>
    public void AddRange(long start, long end)
    {
        Ranges.Add(start, end);
        RangesChanged = true;
        if (Ranges.Covered >= Size)
        {
            _complete = true;
        }
    }
}
