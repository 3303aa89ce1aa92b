using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>`--tls` with a self-signed PEM certificate for 127.0.0.1; restic trusts it only through --cacert.</summary>
public sealed class ServeResticTlsTests
{
    [Fact]
    public async Task Backup_TlsWithCaCert_RestoresIdenticalTree()
    {
        using var temp = new TempDir("tls");
        var (cert, key) = SelfSignedCertificate.WritePem(temp.Dir("tls"));
        var source = temp.Sub("source");
        TestTree.Generate(source, seed: 5, largeBytes: 2L << 20, smallFiles: 40);
        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + temp.Dir("repo"), "--no-auth", "--tls", "--tls-cert", cert, "--tls-key", key);
        Assert.Equal("https", server.Scheme);

        var restic = new ResticClient(server.ResticUrl(), temp, "--cacert", cert);
        await restic.MustAsync("init");
        await restic.MustAsync("backup", source);
        await restic.MustAsync("check", "--read-data");
        TreeAssert.Equal(source, await restic.RestoreLatestAsync(source, temp.Sub("restore")));
    }

    [Fact]
    public async Task Snapshots_TlsWithoutCaCert_FailsCertificateVerification()
    {
        using var temp = new TempDir("tls-untrusted");
        var (cert, key) = SelfSignedCertificate.WritePem(temp.Dir("tls"));
        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + temp.Dir("repo"), "--no-auth", "--tls", "--tls-cert", cert, "--tls-key", key);

        var trusted = new ResticClient(server.ResticUrl(), temp, "--cacert", cert);
        await trusted.MustAsync("init");

        var untrusted = new ResticClient(server.ResticUrl(), temp);
        var result = await untrusted.MustFailAsync("snapshots");
        Assert.Contains("certificate", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Serve_TlsMinVersion13_RefusesTls12Client()
    {
        var curl = Tool.Require("curl");
        using var temp = new TempDir("tls13");
        var (cert, key) = SelfSignedCertificate.WritePem(temp.Dir("tls"));
        await using var server = await GatewayServer.StartAsync(
            "serve", "restic", "local:" + temp.Dir("repo"), "--no-auth", "--tls", "--tls-cert", cert, "--tls-key", key, "--tls-min-ver", "1.3");

        var tls13 = await ProcessRunner.RunAsync(curl, ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--noproxy", "*", "--cacert", cert, "--tlsv1.3", server.BaseUrl + "/config"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(tls13.Succeeded, tls13.Describe());
        Assert.Equal("404", tls13.Stdout.Trim());

        var tls12 = await ProcessRunner.RunAsync(curl, ["-sS", "-o", "/dev/null", "--noproxy", "*", "--cacert", cert, "--tlsv1.2", "--tls-max", "1.2", server.BaseUrl + "/config"], timeout: TimeSpan.FromSeconds(60));
        Assert.False(tls12.Succeeded, "a TLS 1.2-only client was accepted despite --tls-min-ver 1.3: " + tls12.Describe());
    }
}
