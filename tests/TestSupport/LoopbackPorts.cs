using System.Net;
using System.Net.Sockets;

namespace VfsGateway.TestSupport;

/// <summary>Free loopback ports for the servers the tests start (tests and benches bind 127.0.0.1 only).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first port of <paramref name="count"/> consecutive ports that are free now (for passive FTP ranges).</summary>
    public static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(20000, 60000 - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = first; p < first + count; p++)
                {
                    var l = new TcpListener(IPAddress.Loopback, p);
                    l.Start();
                    listeners.Add(l);
                }

                return first;
            }
            catch (SocketException)
            {
                // taken: try another window
            }
            finally
            {
                foreach (var l in listeners)
                {
                    l.Stop();
                }
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free loopback ports found");
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts connections; fails early when <paramref name="process"/> exits.</summary>
    public static async Task WaitForListenerAsync(int port, System.Diagnostics.Process? process, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before listening on 127.0.0.1:{port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{what} did not listen on 127.0.0.1:{port}");
    }
}
