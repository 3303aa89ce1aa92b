using VfsGateway.Vfs.Cache;

namespace VfsGateway.UnitTests.Vfs.Cache;

public sealed class RangeMapTests
{
    [Fact]
    public void Add_OverlappingAndAdjacent_Merges()
    {
        var map = new RangeMap();
        map.Add(10, 20);
        map.Add(30, 40);
        map.Add(20, 30);
        map.Add(35, 50);
        Assert.Equal(40, map.Covered);
        Assert.Equal([[10L, 50L]], map.ToRecord());
    }

    [Fact]
    public void FirstMissing_FindsGapsClippedToTheRequest()
    {
        var map = new RangeMap();
        map.Add(10, 20);
        map.Add(30, 40);
        Assert.Equal((0L, 10L), map.FirstMissing(0, 100));
        Assert.Equal((20L, 30L), map.FirstMissing(12, 100));
        Assert.Equal((40L, 45L), map.FirstMissing(30, 45));
        Assert.Null(map.FirstMissing(12, 18));
        Assert.Equal(30, map.NextPresentStart(21));
        Assert.Equal(long.MaxValue, map.NextPresentStart(40));
    }

    [Fact]
    public void FromRecord_DropsInvalidRanges()
    {
        var map = RangeMap.FromRecord([[0, 5], [7, 3], [8, 200], [-1, 2]], 100);
        Assert.Equal(5, map.Covered);
    }
}
