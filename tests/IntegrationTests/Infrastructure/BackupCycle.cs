namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The scenario every transport must pass with real restic: init, backup, check --read-data, restore
/// and compare byte for byte, a second backup of a changed tree, forget --keep-last 1 --prune, check
/// again, and a restore of what is left.
/// </summary>
internal static class BackupCycle
{
    public static async Task RunAsync(ResticClient restic, TempDir temp, int seed)
    {
        var source = temp.Sub("source");
        TestTree.Generate(source, seed);

        await restic.MustAsync("init");
        await restic.MustAsync("backup", "--host", "itest", source);
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore-1")));

        TestTree.Mutate(source, seed + 1);
        await restic.MustAsync("backup", "--host", "itest", source);
        Assert.Equal(2, (await restic.SnapshotIdsAsync()).Count);

        var forget = await restic.MustAsync("forget", "--keep-last", "1", "--prune");
        Assert.Contains("remove 1 snapshots", forget.Stdout, StringComparison.Ordinal);
        Assert.Single(await restic.SnapshotIdsAsync());
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore-2")));
    }
}
