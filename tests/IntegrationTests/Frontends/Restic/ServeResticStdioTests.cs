using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic;

/// <summary>
/// restic's rclone: backend against the gateway: restic spawns `PROGRAM serve restic --stdio
/// --b2-hard-delete REMOTE` (restic 0.14 internal/backend/rclone) and speaks HTTP/2 over the pipes.
/// </summary>
public sealed class ServeResticStdioTests
{
    [Fact]
    public async Task BackupCycle_StdioThroughResticRcloneBackend_RestoresIdenticalTreeAndExits()
    {
        using var temp = new TempDir("stdio");
        var repoDir = temp.Dir("repo");
        var invocations = temp.Sub("invocations.log");
        var program = WriteWrapper(temp, invocations);
        var restic = new ResticClient("rclone:local:" + repoDir, temp, "-o", "rclone.program=" + program);

        string[] lines;
        try
        {
            await BackupCycle.RunAsync(restic, temp, seed: 4);
            lines = File.ReadAllLines(invocations);

            // Each restic command ends its gateway child: on a clean Close restic closes the pipes and
            // waits up to 5 s for it; a command that exits without closing the backend leaves the child
            // to notice end of stdin as restic exits, which on a loaded machine takes a moment.
            foreach (var pid in lines.Select(l => int.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.True(await ExitsWithinAsync(pid, TimeSpan.FromSeconds(20)), $"gateway --stdio child {pid} is still running 20 s after restic finished");
            }
        }
        finally
        {
            KillLeftovers(invocations);
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains($"serve restic --stdio --b2-hard-delete local:{repoDir}", line, StringComparison.Ordinal));

        RepositoryLayout.AssertResticLayout(repoDir);
        var direct = new ResticClient(repoDir, temp);
        await direct.MustAsync("check", "--read-data");
    }

    /// <summary>The program restic runs: records its PID and arguments, then execs the built gateway (same PID).</summary>
    private static string WriteWrapper(TempDir temp, string invocations)
    {
        var script = temp.Sub("gateway-wrapper.sh");
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo "$$ $*" >> '{invocations}'
            exec {GatewayBinary.ShellCommand} "$@"

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    private static async Task<bool> ExitsWithinAsync(int pid, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (IsRunning(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static void KillLeftovers(string invocations)
    {
        if (!File.Exists(invocations))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(invocations))
        {
            var pid = int.Parse(line.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            if (!IsRunning(pid))
            {
                continue;
            }

            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                if (process.ProcessName is "dotnet" or "gateway")
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
