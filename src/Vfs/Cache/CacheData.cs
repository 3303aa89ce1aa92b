namespace VfsGateway.Vfs.Cache;

/// <summary>
/// One generation of an item's bytes on disk. A new write or an invalidation makes a new
/// generation (a new file) instead of overwriting, so open readers keep a consistent view and a
/// crash never leaves a record pointing at half-replaced bytes.
/// </summary>
internal sealed class CacheData(long generation, string filePath, long size, RangeMap ranges)
{
    public long Generation { get; } = generation;

    public string FilePath { get; } = filePath;

    public long Size { get; } = size;

    /// <summary>Guarded by the owning item's lock.</summary>
    public RangeMap Ranges { get; } = ranges;

    public bool IsComplete => Ranges.Covered >= Size;

    /// <summary>Ranges were added since the record was last written.</summary>
    public bool RangesChanged { get; set; }
}
