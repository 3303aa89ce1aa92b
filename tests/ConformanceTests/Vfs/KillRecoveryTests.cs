using System.Diagnostics;
using System.Security.Cryptography;
using VfsGateway.Backends.Local;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests.Vfs;

/// <summary>
/// A real crash: a child process acknowledges writes in mode writes and is killed with SIGKILL
/// before any upload; a new Vfs over the same cache directory must upload every one of them byte
/// for byte and never the write that was still in progress.
/// </summary>
public sealed class KillRecoveryTests : IDisposable
{
    private const int Files = 20;
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "vfs-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    [Fact]
    public async Task Kill9_AfterAcknowledgedWrites_NextStartUploadsEveryOne()
    {
        var backendRoot = Path.Combine(_temp, "backend");
        var cacheDir = Path.Combine(_temp, "cache");
        Directory.CreateDirectory(backendRoot);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A .NET child otherwise opens a diagnostics IPC socket and leaves /tmp/dotnet-diagnostic-* behind.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var arg in new[] { typeof(CrashChildProgram).Assembly.Location, CrashChildProgram.Verb, backendRoot, cacheDir, Files.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        try
        {
            var stderr = child.StandardError.ReadToEndAsync();
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(line == "ready", $"child said '{line}', stderr: {(child.HasExited ? await stderr : "")}");

            // The child holds the cache directory: another process must be refused.
            var locked = Assert.Throws<VfsException>(() => new VirtualFileSystem(new LocalBackend(new LocalOptions(backendRoot)), Options(cacheDir)));
            Assert.Equal(VfsErrorKind.AlreadyExists, locked.Kind);

            child.Kill(); // SIGKILL on Unix: no finally blocks, no flush, no shutdown.
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }

        Assert.False(File.Exists(Path.Combine(backendRoot, "k", "0", "f0.bin")));
        await using (var vfs = new VirtualFileSystem(new LocalBackend(new LocalOptions(backendRoot)), Options(cacheDir)))
        {
            Assert.Equal(Files, vfs.CacheStats.DirtyItems);
            await vfs.WaitForUploadsAsync(default).WaitAsync(TimeSpan.FromSeconds(120));
        }

        for (var i = 0; i < Files; i++)
        {
            var stored = await File.ReadAllBytesAsync(Path.Combine(backendRoot, CrashChildProgram.FileName(i)));
            Assert.Equal(SHA256.HashData(CrashChildProgram.Content(i)), SHA256.HashData(stored));
        }

        Assert.False(File.Exists(Path.Combine(backendRoot, "k", "half.bin")));
        Assert.DoesNotContain(Directory.EnumerateFiles(backendRoot, "*", SearchOption.AllDirectories), f => TempNames.IsTemp(Path.GetFileName(f)));
        Assert.Empty(Directory.EnumerateFiles(cacheDir, "*.data", SearchOption.AllDirectories));
    }

    private static VfsOptions Options(string cacheDir) => new()
    {
        CacheMode = VfsCacheMode.Writes,
        CacheDir = cacheDir,
        WriteBack = TimeSpan.FromMilliseconds(50),
        UploadRetryDelay = TimeSpan.FromMilliseconds(50),
    };
}
