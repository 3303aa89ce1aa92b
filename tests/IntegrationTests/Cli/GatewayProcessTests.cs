using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace VfsGateway.IntegrationTests.Cli;

/// <summary>
/// The built gateway as a child process: what restic's rclone: backend does (HTTP/2 with prior
/// knowledge over the child's stdin/stdout, then closing stdin) and what an init system does (SIGTERM).
/// </summary>
public sealed partial class GatewayProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Stdio_Http2OverChildPipes_ServesResticAndExitsWhenStdinCloses()
    {
        using var child = Start("serve", "restic", "--stdio", "--b2-hard-delete", "memory:");
        var stderr = new StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        child.BeginErrorReadLine();
        try
        {
            using (var client = Http2Client.Over(new DuplexStream(child.StandardOutput.BaseStream, child.StandardInput.BaseStream)))
            {
                using (var create = await client.PostAsync(new Uri("/?create=true", UriKind.Relative), null))
                {
                    Assert.Equal(HttpStatusCode.OK, create.StatusCode);
                    Assert.Equal(HttpVersion.Version20, create.Version);
                }

                using (var put = await client.PostAsync(new Uri("/config", UriKind.Relative), new ByteArrayContent("restic config"u8.ToArray())))
                {
                    Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                }

                using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/config") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }))
                {
                    Assert.Equal(13, head.Content.Headers.ContentLength);
                }

                Assert.Equal("restic config", await client.GetStringAsync(new Uri("/config", UriKind.Relative)));
            }

            // The client closed the child's stdin (restic does the same when it is done).
            Assert.True(await WaitForExitAsync(child), "the gateway did not exit after stdin closed");
            Assert.Equal(0, child.ExitCode);
            lock (stderr)
            {
                Assert.Equal(string.Empty, stderr.ToString().Trim());
            }
        }
        finally
        {
            Kill(child);
        }
    }

    [Fact]
    public async Task Sigterm_StopsServerGracefullyWithExitCodeZero()
    {
        using var child = Start("serve", "restic", "--no-auth", "--addr", "127.0.0.1:0", "memory:");
        try
        {
            var port = await ReadPortAsync(child);
            using var client = new HttpClient();
            using (var create = await client.PostAsync(new Uri($"http://127.0.0.1:{port}/?create=true"), null))
            {
                Assert.Equal(HttpStatusCode.OK, create.StatusCode);
            }

            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            Assert.True(await WaitForExitAsync(child), "the gateway did not exit after SIGTERM");
            Assert.Equal(0, child.ExitCode);
        }
        finally
        {
            Kill(child);
        }
    }

    [Fact]
    public async Task Process_UsageError_ExitsTwo()
    {
        using var child = Start("serve", "restic", "--no-such-flag", "memory:");
        try
        {
            var stderr = await child.StandardError.ReadToEndAsync();
            Assert.True(await WaitForExitAsync(child));
            Assert.Equal(2, child.ExitCode);
            Assert.Contains("unknown option '--no-such-flag'", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Kill(child);
        }
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(GatewayBinary.Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(GatewayBinary.Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Keep the child away from any real configuration of the machine running the tests, and from
        // leaving a diagnostics socket (/tmp/dotnet-diagnostic-*) behind.
        info.Environment["HOME"] = Path.GetTempPath();
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.Environment.Remove("GATEWAY_CONFIG");
        info.Environment.Remove("XDG_CONFIG_HOME");
        return Process.Start(info)!;
    }

    private static async Task<int> ReadPortAsync(Process child)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (await child.StandardError.ReadLineAsync(cts.Token) is { } line)
        {
            var match = StartupLine().Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("the gateway exited without a startup line");
    }

    private static async Task<bool> WaitForExitAsync(Process child)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await child.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static void Kill(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    [GeneratedRegex(@"on http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex StartupLine();
}
