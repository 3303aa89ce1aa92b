using System.Security.Cryptography;
using VfsGateway.IntegrationTests.Backends.S3;
using VfsGateway.IntegrationTests.Infrastructure;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>
/// `gateway copy|sync|ls|cat` as a user runs them: the real binary, local → local, local → sftp (a
/// private OpenSSH sshd) and local → s3 (a `gateway serve s3` as the S3 server), each a round trip
/// checked byte for byte, a second copy that copies nothing, and a sync that deletes the extras.
/// stderr is not a terminal here, so the summary line is all the progress there is (unless -P).
/// </summary>
public sealed class TransferCommandTests
{
    private const int TreeFiles = 5;

    [Fact]
    public async Task CopySync_LocalToLocal_RoundTripsSkipsIdenticalAndDeletesExtras()
    {
        using var temp = new TempDir("xfer-local");
        var src = WriteTree(temp.Dir("src"));
        var dst = temp.Sub("dst");

        var first = await MustAsync("copy", src, dst);
        Assert.Contains($"copy: {TreeFiles} files copied", first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Copied:", first.Stderr, StringComparison.Ordinal);
        TreeAssert.Equal(src, dst);

        var second = await MustAsync("copy", src, dst);
        Assert.Contains($"copy: 0 files copied (0 B), {TreeFiles} unchanged", second.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(src, "one.txt"), "changed content");
        await File.WriteAllTextAsync(Path.Combine(dst, "extra.txt"), "not in the source");
        Directory.CreateDirectory(Path.Combine(dst, "old"));
        await File.WriteAllTextAsync(Path.Combine(dst, "old", "x.txt"), "x");

        var dry = await MustAsync("sync", "--dry-run", src, dst);
        Assert.Contains("Would copy: one.txt", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("Would delete: extra.txt", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("Would delete: old/x.txt", dry.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dst, "extra.txt")));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(dst, "one.txt")));

        var sync = await MustAsync("sync", "-P", "--transfers", "2", src, dst);
        Assert.Contains("Copied: one.txt", sync.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deleted: extra.txt", sync.Stderr, StringComparison.Ordinal);
        Assert.Contains("sync: 1 file copied", sync.Stderr, StringComparison.Ordinal);
        TreeAssert.Equal(src, dst);

        Assert.Equal("changed content"u8.ToArray(), await CatAsync(temp, [Path.Combine(dst, "one.txt")]));
        Assert.Equal("ange"u8.ToArray(), await CatAsync(temp, ["--offset", "2", "--count", "4", Path.Combine(dst, "one.txt")]));
        Assert.Contains("   200000 a/b/deep.bin", (await MustAsync("ls", dst)).Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dst, "*.partial", SearchOption.AllDirectories));

        // A single file as the source lands in the destination directory.
        var single = temp.Sub("single");
        await MustAsync("copy", Path.Combine(src, "a", "b", "deep.bin"), single);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "a", "b", "deep.bin")), await File.ReadAllBytesAsync(Path.Combine(single, "deep.bin")));
    }

    [Fact]
    public async Task Mistakes_OneLineAndTheDocumentedExitCode()
    {
        using var temp = new TempDir("xfer-errors");
        var src = temp.Dir("src");
        var missing = temp.Sub("missing");

        await ExpectAsync(1, $"gateway: source 'local:{missing}' not found", "copy", missing, temp.Sub("dst"));
        await ExpectAsync(1, $"gateway: 'local:{missing}' not found", "cat", missing);
        var file = temp.Sub("file.txt");
        await File.WriteAllTextAsync(file, "x");
        await ExpectAsync(1, $"gateway: destination 'local:{file}' is a file, not a directory", "copy", src, file);
        await ExpectAsync(2, "gateway: unknown option '--transfer' (did you mean --transfers?)", "copy", "--transfer", "2", src, temp.Sub("dst"));
        await ExpectAsync(2, "source and destination overlap", "sync", src, Path.Combine(src, "inside"));
        await ExpectAsync(1, "gateway: cannot open remote 'sftp:root@127.0.0.1:", "ls", $"sftp:root@127.0.0.1:{LoopbackPorts.Free()}/data");
    }

    [Fact]
    public async Task CopySync_LocalToSftp_RoundTripsSkipsIdenticalAndDeletesExtras()
    {
        using var temp = new TempDir("xfer-sftp");
        await using var sshd = await SshdServer.StartAsync(LocalUsers.Sftp);
        string[] flags = ["--sftp-key-file", sshd.ClientKey, "--sftp-known-hosts-file", sshd.KnownHosts];
        var remote = sshd.RootRemote("xfer");
        var onServer = Path.Combine(sshd.DataDirectory, "xfer");
        var src = WriteTree(temp.Dir("src"));

        await MustAsync(["copy", src, remote, .. flags]);
        TreeAssert.Equal(src, onServer);

        // SFTP keeps modification times (to the second): nothing to copy the second time.
        var second = await MustAsync(["copy", src, remote, .. flags]);
        Assert.Contains($"copy: 0 files copied (0 B), {TreeFiles} unchanged", second.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(onServer, "extra.txt"), "extra");
        var sync = await MustAsync(["sync", src, remote, .. flags]);
        Assert.Contains("1 deleted", sync.Stderr, StringComparison.Ordinal);
        TreeAssert.Equal(src, onServer);

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "a", "b", "deep.bin")), await CatAsync(temp, [remote + "/a/b/deep.bin", .. flags]));
        var back = temp.Sub("back");
        await MustAsync(["copy", remote, back, .. flags]);
        TreeAssert.Equal(src, back);
    }

    [Fact]
    public async Task CopySync_LocalToS3_RoundTripsSkipsIdenticalAndDeletesExtras()
    {
        using var temp = new TempDir("xfer-s3");
        await using var backing = await S3BackingServer.StartAsync(temp, "xfer-bucket");
        string[] flags = ["--config", backing.ConfigFile];
        const string remote = "back:xfer-bucket/dir";
        var src = WriteTree(temp.Dir("src"));

        await MustAsync(["copy", src, remote, .. flags]);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(backing.Gateway.DataDir, "xfer-bucket", "dir", "one.txt")));

        // S3 stamps objects with their upload time; the MD5 ETags show they are the same.
        var second = await MustAsync(["copy", src, remote, .. flags]);
        Assert.Contains($"copy: 0 files copied (0 B), {TreeFiles} unchanged", second.Stderr, StringComparison.Ordinal);

        var extra = temp.Sub("extra.txt");
        await File.WriteAllTextAsync(extra, "extra");
        await backing.Direct.MustAsync("s3", "cp", extra, "s3://xfer-bucket/dir/sub/extra.txt");
        var sync = await MustAsync(["sync", src, remote, .. flags]);
        Assert.Contains("1 deleted", sync.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("extra.txt", (await backing.Direct.MustAsync("s3", "ls", "--recursive", "s3://xfer-bucket/")).Stdout, StringComparison.Ordinal);

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(src, "a", "b", "deep.bin")), await CatAsync(temp, [remote + "/a/b/deep.bin", .. flags]));
        var back = temp.Sub("back");
        await MustAsync(["copy", remote, back, .. flags]);
        TreeAssert.Equal(src, back);
        var again = await MustAsync(["copy", remote, back, .. flags]);
        Assert.Contains("copy: 0 files copied", again.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A small tree: nested directories, a name with a space and non-ASCII letters, an empty file, 0.2 and 1.5 MB of random bytes.</summary>
    private static string WriteTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        Directory.CreateDirectory(Path.Combine(root, "sub dir"));
        File.WriteAllText(Path.Combine(root, "one.txt"), "hello");
        File.WriteAllBytes(Path.Combine(root, "a", "b", "deep.bin"), RandomNumberGenerator.GetBytes(200_000));
        File.WriteAllBytes(Path.Combine(root, "a", "big.bin"), RandomNumberGenerator.GetBytes(1_500_000));
        File.WriteAllText(Path.Combine(root, "sub dir", "ünïcødé name.txt"), "named");
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        return root;
    }

    private static async Task<ProcessResult> MustAsync(params string[] args)
    {
        var result = await GatewayCli.RunAsync(args);
        Assert.True(result.Succeeded, result.Describe());
        return result;
    }

    /// <summary>`gateway cat …` with stdout redirected to a file by the shell, so the exact bytes can be compared.</summary>
    private static async Task<byte[]> CatAsync(TempDir temp, string[] args)
    {
        var output = temp.Sub($"cat-{Guid.NewGuid():N}.out");
        var result = await ProcessRunner.RunAsync(
            "/bin/sh",
            ["-c", "out=\"$1\"; shift; exec \"$@\" > \"$out\"", "sh", output, .. GatewayBinary.CommandPrefix, "cat", .. args],
            new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" });
        Assert.True(result.Succeeded, result.Describe());
        return await File.ReadAllBytesAsync(output);
    }

    private static async Task ExpectAsync(int exitCode, string message, params string[] args)
    {
        var result = await GatewayCli.RunAsync(args);
        Assert.True(result.ExitCode == exitCode, result.Describe());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }
}
