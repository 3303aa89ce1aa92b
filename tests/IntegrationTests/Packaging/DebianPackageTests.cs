using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Packaging;

/// <summary>
/// packaging/build-deb.sh end to end on this machine (issue 14): build the .deb (one publish, without
/// ReadyToRun to save minutes), install it with dpkg, run the installed /usr/bin/gateway, check the
/// installed systemd units with systemd-analyze, then remove and purge it. Needs root, dpkg-deb and
/// systemd-analyze (./test.sh installs apt `systemd` when it is missing); without them it fails.
/// </summary>
public sealed partial class DebianPackageTests
{
    private static readonly string[] Units = ["/lib/systemd/system/gateway-restic.service", "/lib/systemd/system/gateway-s3.service"];
    private static readonly string[] Conffiles = ["/etc/gateway/gateway.conf", "/etc/gateway/restic.env", "/etc/gateway/s3.env"];

    [Fact]
    public async Task Deb_InstallRunVerifyRemovePurge()
    {
        await RequireAsync();
        var root = GatewayBinary.RepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var installed = await RunAsync("dpkg-query", ["-W", "-f=${Status}", "gateway"]);
        Assert.False(installed.Succeeded && installed.Stdout.Contains("installed", StringComparison.Ordinal),
            "a package named gateway is already installed on this machine; the test installs and purges its own (dpkg --purge gateway first)");
        var userExisted = (await RunAsync("getent", ["passwd", "gateway"])).Succeeded;
        var stateExisted = Directory.Exists("/var/lib/gateway");

        var build = await RunAsync(Path.Combine(root, "packaging", "build-deb.sh"), ["linux-x64"], new() { ["PUBLISH_AOT"] = "false", ["PUBLISH_R2R"] = "false" }, TimeSpan.FromMinutes(25));
        Assert.True(build.Succeeded, build.Describe());
        var deb = build.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("build-deb.sh: dist/", StringComparison.Ordinal))
            .Select(l => Path.Combine(root, l["build-deb.sh: ".Length..].Split(' ')[0])).LastOrDefault();
        Assert.True(deb is not null && File.Exists(deb), "build-deb.sh named no .deb\n" + build.Describe());

        var info = await MustAsync("dpkg-deb", ["--info", deb]);
        Assert.Contains("Architecture: amd64", info, StringComparison.Ordinal);
        var contents = await MustAsync("dpkg-deb", ["--contents", deb]);
        foreach (var path in Units.Concat(Conffiles).Append("/usr/bin/gateway"))
        {
            Assert.Contains("." + path, contents, StringComparison.Ordinal);
        }

        try
        {
            await MustAsync("dpkg", ["-i", deb]);

            // The self-contained binary needs no .NET on PATH.
            var version = await RunAsync("/usr/bin/gateway", ["version"], new() { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin", ["DOTNET_ROOT"] = null });
            Assert.True(version.Succeeded, version.Describe());
            Assert.StartsWith("gateway ", version.Stdout, StringComparison.Ordinal);
            Assert.Contains("linux-x64", version.Stdout, StringComparison.Ordinal);

            Assert.Equal(Conffiles.Order(StringComparer.Ordinal), (await MustAsync("dpkg-query", ["-W", "-f=${Conffiles}", "gateway"]))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')[0]).Order(StringComparer.Ordinal));
            Assert.True((await RunAsync("getent", ["passwd", "gateway"])).Succeeded, "postinst made no user gateway");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode("/etc/gateway/s3-keys"));
            Assert.True(Directory.Exists("/var/lib/gateway/restic"), "postinst made no /var/lib/gateway/restic");

            // systemd-analyze verify works on unit files without systemd as PID 1; it also checks that
            // ExecStart's binary exists. Its complaints about other units on the machine are not ours.
            var verify = await RunAsync("systemd-analyze", ["verify", "--man=no", .. Units], new() { ["SYSTEMD_LOG_LEVEL"] = "notice", ["SYSTEMD_PAGER"] = "cat" });
            var ours = verify.Stderr.Split('\n').Where(l => l.Contains("gateway", StringComparison.Ordinal)).ToArray();
            Assert.True(verify.Succeeded && ours.Length == 0, verify.Describe());
            // The hardening as systemd scores it: "Overall exposure level for gateway-….service: 1.9 OK" (0 best, 10 worst).
            foreach (var unit in Units)
            {
                var security = await RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", unit], new() { ["SYSTEMD_LOG_LEVEL"] = "notice" });
                var exposure = ExposureLine().Match(security.Stdout);
                Assert.True(security.Succeeded && exposure.Success, security.Describe());
                Assert.True(double.Parse(exposure.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 2.5, exposure.Value);
            }

            await MustAsync("dpkg", ["-r", "gateway"]);
            Assert.False(File.Exists("/usr/bin/gateway"), "dpkg -r left /usr/bin/gateway");
            Assert.All(Units, u => Assert.False(File.Exists(u), $"dpkg -r left {u}"));
            Assert.All(Conffiles, c => Assert.True(File.Exists(c), $"dpkg -r removed the conffile {c} (only purge may)"));
        }
        finally
        {
            var purge = await RunAsync("dpkg", ["--purge", "gateway"]);
            Assert.True(purge.Succeeded, purge.Describe());
            // The package keeps its data directory and user on purge (as Debian does); the test's own go.
            if (!stateExisted && Directory.Exists("/var/lib/gateway"))
            {
                Directory.Delete("/var/lib/gateway", recursive: true);
            }

            if (!userExisted)
            {
                await RunAsync("userdel", ["gateway"]);
            }
        }

        Assert.False(File.Exists("/usr/bin/gateway"), "dpkg --purge left /usr/bin/gateway");
        Assert.All(Conffiles.Append("/etc/gateway/s3-keys"), c => Assert.False(File.Exists(c), $"dpkg --purge left {c}"));
    }

    private static async Task RequireAsync()
    {
        var id = await RunAsync("id", ["-u"]);
        Assert.True(id.Stdout.Trim() == "0", "the package test installs a .deb: run it as root (./test.sh does in CI)");
        foreach (var tool in new[] { "dpkg-deb", "dpkg", "systemd-analyze" })
        {
            Assert.True((await RunAsync("sh", ["-c", $"command -v {tool}"])).Succeeded, $"{tool} is not installed (./test.sh installs apt systemd for systemd-analyze)");
        }
    }

    private static async Task<string> MustAsync(string file, string[] args)
    {
        var result = await RunAsync(file, args);
        Assert.True(result.Succeeded, result.Describe());
        return result.Stdout;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+)")]
    private static partial System.Text.RegularExpressions.Regex ExposureLine();

    private static Task<ProcessResult> RunAsync(string file, string[] args, Dictionary<string, string?>? environment = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(file, args, environment, timeout: timeout ?? TimeSpan.FromMinutes(2));
}
