using System.Globalization;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>
/// Issue 12 "Crash": a real `restic backup` whose gateway is SIGKILLed while packs are being uploaded
/// finishes once a new gateway listens on the same address again (restic retries), the restart
/// removes the killed upload's temp file, and `restic check --read-data` is clean afterwards.
/// </summary>
public sealed partial class CrashRestartTests
{
    [Fact]
    public async Task SigkillDuringRealResticBackup_RestartOnSameAddress_BackupFinishesAndChecksClean()
    {
        using var temp = new TempDir("crash-restic");
        var repo = temp.Dir("repo");
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 1212, largeBytes: 48L << 20, smallFiles: 40);
        var addr = "127.0.0.1:" + LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        string[] serve = ["serve", "restic", "local:" + repo, "--no-auth", "--addr", addr];

        var first = await GatewayServer.StartAsync(serve);
        GatewayServer? second = null;
        try
        {
            var restic = new ResticClient(first.ResticUrl(), temp);
            await restic.MustAsync("init");

            // Small packs: many uploads, so the kill lands while restic is still sending some.
            var backup = restic.RunAsync("backup", "--host", "crash", "--pack-size", "4", source);
            var data = Path.Combine(repo, "data");
            await WaitForAsync(() => backup.IsCompleted || CountFiles(data) >= 2, "the first packs of the backup");
            if (backup.IsCompleted)
            {
                Assert.Fail("the backup ended before the gateway could be killed: " + (await backup).Describe());
            }

            var packsAtKill = CountFiles(data);

            await first.SignalAsync("KILL");
            await WaitForAsync(() => first.HasExited, "the gateway to die");
            await first.DisposeAsync();

            second = await GatewayServer.StartAsync(serve);
            var result = await backup;
            Assert.True(result.Succeeded, "the backup did not survive the restart: " + result.Describe() + "\ngateway log:\n" + second.Stderr);
            Assert.True(CountFiles(data) > packsAtKill, $"no pack was uploaded after the restart ({packsAtKill} before the kill)");

            Assert.Empty(TempFiles(repo));
            Assert.Single(await restic.SnapshotIdsAsync());
            await restic.MustAsync("check", "--read-data");
            TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore")));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    private static int CountFiles(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".partial", StringComparison.Ordinal)) : 0;
}
