using System.Net.Sockets;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// A Unix socket file left behind by a server that died (Go and Kestrel do not unlink on crash)
/// makes bind fail with "address in use". It is removed only when it is provably stale: it is not
/// a regular file (opening a socket file fails with ENXIO) and nothing accepts connections on it.
/// </summary>
internal static class UnixSocketFile
{
    public static void RemoveIfStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if (IsOpenableFile(path))
        {
            throw new GatewayStartupException($"cannot listen on unix:{path}: the file exists and is not a socket");
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new GatewayStartupException($"cannot listen on unix:{path}: another server is listening on it");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // Stale: fall through and remove it.
            }
            catch (SocketException e)
            {
                throw new GatewayStartupException($"cannot listen on unix:{path}: {e.Message}", e);
            }
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayStartupException($"cannot remove the stale socket unix:{path}: {e.Message}", e);
        }
    }

    public static void TryRemove(string path)
    {
        try
        {
            if (File.Exists(path) && !IsOpenableFile(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort at shutdown; the next start removes a stale socket anyway.
        }
    }

    private static bool IsOpenableFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // Cannot tell; treat as a file so that nothing is deleted.
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
