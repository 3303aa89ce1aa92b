using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A running `gateway serve …` process on 127.0.0.1. It is started with `--addr 127.0.0.1:0` (unless the
/// caller gives an address), the real port is parsed from the start line on stderr, and the
/// test waits until the port accepts. Dispose kills the process tree by PID.
/// </summary>
internal sealed partial class GatewayServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<(string Scheme, int Port)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayServer(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    public string Command { get; }

    public int Pid => _process.Id;

    public int Port { get; private set; }

    public string Scheme { get; private set; } = "http";

    /// <summary>"http://127.0.0.1:PORT" (or https), no trailing slash.</summary>
    public string BaseUrl => $"{Scheme}://127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Restic's REST repository URL for <paramref name="repoPath"/> ("" for the root), optionally with credentials.</summary>
    public string ResticUrl(string repoPath = "", string? user = null, string? password = null)
    {
        var auth = user is null ? string.Empty : $"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? string.Empty)}@";
        var path = repoPath.Trim('/');
        return $"rest:{Scheme}://{auth}127.0.0.1:{Port}/{(path.Length == 0 ? string.Empty : path + "/")}";
    }

    /// <summary>Starts `gateway ARGS --addr 127.0.0.1:0` and waits until it accepts connections.</summary>
    public static async Task<GatewayServer> StartAsync(params string[] arguments)
    {
        var args = arguments.ToList();
        if (!args.Any(a => a is "--addr" or "--listen" || a.StartsWith("--addr=", StringComparison.Ordinal) || a.StartsWith("--listen=", StringComparison.Ordinal)))
        {
            args.Add("--addr");
            args.Add("127.0.0.1:0");
        }

        var startInfo = new ProcessStartInfo(GatewayBinary.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in GatewayBinary.LeadingArguments.Concat(args))
        {
            startInfo.ArgumentList.Add(a);
        }

        ProcessRunner.ApplyEnvironment(startInfo, new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_EnableDiagnostics"] = "0" });
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new GatewayServer(process, ProcessRunner.Render("gateway", args));
        process.OutputDataReceived += (_, e) => server.OnLine(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(server._stderr, e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("exited before listening"));

        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {server.Command}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilListeningAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Sends a Unix signal (e.g. SIGHUP to reload credentials) to the server process.</summary>
    public async Task SignalAsync(string signal)
    {
        var result = await ProcessRunner.RunAsync("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Describe());
        }
    }

    /// <summary>Waits for the process to end by itself (after a signal) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        ProcessRunner.KillTree(_process);
        await Task.Yield();
        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync()
    {
        var listening = _listening.Task;
        var finished = await Task.WhenAny(listening, Task.Delay(StartTimeout));
        if (finished != listening || listening.IsFaulted)
        {
            await Task.Delay(200); // let the last stderr lines arrive for the message
            var state = _process.HasExited ? $"exited with {_process.ExitCode}" : $"printed no 'listening on' line within {StartTimeout.TotalSeconds:0} s";
            throw new InvalidOperationException(
                $"{Command} {state}{Environment.NewLine}--- stderr ---{Environment.NewLine}{Stderr}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Stdout}");
        }

        (Scheme, Port) = await listening;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private void OnLine(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult((match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    // The CLI's start line: "listening on http://127.0.0.1:PORT" (also accepted: "serving … on https://127.0.0.1:PORT/").
    [GeneratedRegex(@"(?:listening|serving)\b.*?\bon (https?)://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
