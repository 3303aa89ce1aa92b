using System.Diagnostics;
using System.Text;

namespace VfsGateway.TestSupport;

/// <summary>
/// A server a test starts as a foreground child process (Azurite, s3rver, vsftpd, pure-ftpd, nginx …):
/// output kept for failure messages, stopped by its own PID (with its children) on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server printed so far (stdout and stderr interleaved).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> and, when <paramref name="port"/> is given, waits until it listens on it.</summary>
    public static async Task<ServerProcess> StartAsync(
        string file, IEnumerable<string> args, int? port = null, IDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? startTimeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                info.Environment[k] = v;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, Path.GetFileName(file));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {file}: {e.Message} (./test.sh installs the test servers)", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        if (port is { } p)
        {
            try
            {
                await LoopbackPorts.WaitForListenerAsync(p, process, server.Name, startTimeout);
            }
            catch (Exception e)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"{e.Message}\n--- {server.Name} output ---\n{log}", e);
            }
        }

        return server;
    }

    /// <summary>SIGKILL, as a crash would (the fault tests use it mid-transfer).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
