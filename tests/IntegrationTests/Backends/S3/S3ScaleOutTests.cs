using VfsGateway.IntegrationTests.Backends.Sftp;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.S3;

/// <summary>
/// Several stateless gateways behind a load balancer in front of one S3 server (docs/scale-out.md):
/// two `serve s3 back:` and two `serve restic back:…` instances behind nginx round-robin, over one
/// backing `serve s3 local:`. A multipart upload whose parts land on both instances completes; a
/// restic backup, check --read-data and restore work through the balancer, also when one instance
/// is killed in the middle of a backup and the backup is retried.
/// </summary>
public sealed class S3ScaleOutTests
{
    private const string AccessKey = "SCALEOUTAK";
    private const string SecretKey = "scale-out-secret";

    [Fact]
    public async Task TwoInstancesEachBehindNginx_MultipartAndResticSurviveAnInstanceKill()
    {
        using var temp = new TempDir("s3-scale");
        await using var backing = await S3BackingServer.StartAsync(temp, "shared");
        var s3Args = new[] { "serve", "s3", "back:", "--config", backing.ConfigFile, "--auth-key", $"{AccessKey},{SecretKey}" };
        var resticArgs = new[] { "serve", "restic", "back:shared/restic", "--config", backing.ConfigFile, "--no-auth" };
        await using var s3a = await GatewayServer.StartAsync(s3Args);
        await using var s3b = await GatewayServer.StartAsync(s3Args);
        await using var resticA = await GatewayServer.StartAsync(resticArgs);
        await using var resticB = await GatewayServer.StartAsync(resticArgs);
        await using var nginx = await NginxBalancer.StartAsync(temp.Dir("nginx"), [s3a.Port, s3b.Port], [resticA.Port, resticB.Port]);

        // aws-cli multipart (8 MiB parts) of 200 MiB through the balancer: parts alternate between the instances.
        var cli = new AwsCli(AwsCli.V2, nginx.Url(0), AccessKey, SecretKey, () => $"nginx:\n{nginx.AccessLog}\nA:\n{s3a.Stderr}\nB:\n{s3b.Stderr}");
        var source = temp.Sub("big.bin");
        TestFiles.WriteRandom(source, 200L << 20, seed: 1003);
        await cli.MustAsync("s3", "cp", source, "s3://shared/big/big.bin");
        var partLines = nginx.AccessLog.Split('\n').Where(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("partNumber=", StringComparison.Ordinal)).ToList();
        Assert.Contains(partLines, l => l.EndsWith($":{s3a.Port}", StringComparison.Ordinal));
        Assert.Contains(partLines, l => l.EndsWith($":{s3b.Port}", StringComparison.Ordinal));
        var back = temp.Sub("big.back");
        await cli.MustAsync("s3", "cp", "s3://shared/big/big.bin", back);
        Assert.Equal(TestFiles.Sha256(source), TestFiles.Sha256(back));
        var direct = temp.Sub("big.direct");
        await backing.Direct.MustAsync("s3", "cp", "s3://shared/big/big.bin", direct);
        Assert.Equal(TestFiles.Sha256(source), TestFiles.Sha256(direct));
        File.Delete(back);
        File.Delete(direct);

        // restic through the balancer; one instance dies during a backup, the retry goes to the other.
        var restic = new ResticClient($"rest:{nginx.Url(1)}/repo/", temp);
        var tree = temp.Sub("tree");
        TestTree.Generate(tree, seed: 1004, largeBytes: 48L << 20);
        await restic.MustAsync("init");
        var interrupted = restic.RunAsync("backup", "--host", "scale", tree);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await resticB.SignalAsync("KILL");
        await interrupted;
        await restic.RunAsync("unlock");
        await restic.MustAsync("backup", "--host", "scale", tree);
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(tree, await restic.RestoreLatestAsync(tree, temp.Sub("restore")));
    }
}
