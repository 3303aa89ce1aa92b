namespace VfsGateway.Vfs.Cache;

/// <summary>Which byte ranges of a sparse cache file hold data: sorted, disjoint, non-adjacent [start, end) intervals. Not thread-safe.</summary>
internal sealed class RangeMap
{
    private readonly List<(long Start, long End)> _ranges = [];

    public long Covered { get; private set; }

    public static RangeMap Full(long size)
    {
        var map = new RangeMap();
        map.Add(0, size);
        return map;
    }

    public static RangeMap FromRecord(List<long[]>? ranges, long size)
    {
        var map = new RangeMap();
        foreach (var r in ranges ?? [])
        {
            if (r.Length == 2 && r[0] >= 0 && r[0] < r[1] && r[1] <= size)
            {
                map.Add(r[0], r[1]);
            }
        }

        return map;
    }

    public List<long[]> ToRecord() => _ranges.Select(r => new[] { r.Start, r.End }).ToList();

    public void Add(long start, long end)
    {
        if (end <= start)
        {
            return;
        }

        var i = 0;
        while (i < _ranges.Count && _ranges[i].End < start)
        {
            i++;
        }

        var newStart = start;
        var newEnd = end;
        while (i < _ranges.Count && _ranges[i].Start <= end)
        {
            newStart = Math.Min(newStart, _ranges[i].Start);
            newEnd = Math.Max(newEnd, _ranges[i].End);
            Covered -= _ranges[i].End - _ranges[i].Start;
            _ranges.RemoveAt(i);
        }

        _ranges.Insert(i, (newStart, newEnd));
        Covered += newEnd - newStart;
    }

    /// <summary>The first gap inside [start, end), clipped to it; null when the whole span is present.</summary>
    public (long Start, long End)? FirstMissing(long start, long end)
    {
        var pos = start;
        foreach (var (s, e) in _ranges)
        {
            if (e <= pos)
            {
                continue;
            }

            if (s > pos)
            {
                return (pos, Math.Min(s, end));
            }

            pos = e;
            if (pos >= end)
            {
                return null;
            }
        }

        return pos < end ? (pos, end) : null;
    }

    /// <summary>Where the next present range at or after <paramref name="offset"/> begins (long.MaxValue when none).</summary>
    public long NextPresentStart(long offset)
    {
        foreach (var (s, e) in _ranges)
        {
            if (e > offset)
            {
                return Math.Max(s, offset);
            }
        }

        return long.MaxValue;
    }
}
