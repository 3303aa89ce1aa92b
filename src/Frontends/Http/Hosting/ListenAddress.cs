using System.Globalization;
using System.Net;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// A parsed <see cref="HttpServerOptions.Address"/>. The forms follow rest-server's (Go's
/// net.Listen): ":8000" listens on every interface (IPv6 and IPv4), "127.0.0.1:8000" and
/// "[::1]:8000" on one address, "localhost:8000" on both loopback addresses, any other host name
/// on the addresses it resolves to, and "unix:/path/to.sock" on a Unix domain socket.
/// </summary>
internal sealed record ListenAddress
{
    private ListenAddress(ListenAddressKind kind, string? host, IPAddress? ip, int port, string? socketPath)
    {
        Kind = kind;
        Host = host;
        IP = ip;
        Port = port;
        SocketPath = socketPath;
    }

    public ListenAddressKind Kind { get; }

    /// <summary>The host as written (null for <see cref="ListenAddressKind.AnyIP"/> and unix sockets).</summary>
    public string? Host { get; }

    /// <summary>The literal address for <see cref="ListenAddressKind.IP"/>.</summary>
    public IPAddress? IP { get; }

    /// <summary>The TCP port; 0 asks the OS for a free one.</summary>
    public int Port { get; }

    /// <summary>The socket file for <see cref="ListenAddressKind.Unix"/>.</summary>
    public string? SocketPath { get; }

    public static ListenAddress Parse(string address)
    {
        if (!TryParse(address, out var result, out var error))
        {
            throw new GatewayStartupException(error);
        }

        return result;
    }

    public static bool TryParse(string? address, out ListenAddress result, out string error)
    {
        result = null!;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(address))
        {
            error = "listen address is empty (use e.g. \":8000\", \"127.0.0.1:8000\" or \"unix:/run/gateway.sock\")";
            return false;
        }

        if (address.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = address["unix:".Length..];
            if (path.Length == 0)
            {
                error = $"listen address '{address}' has no socket path (use \"unix:/path/to.sock\")";
                return false;
            }

            result = new ListenAddress(ListenAddressKind.Unix, null, null, 0, path);
            return true;
        }

        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            // "21102" is almost always a port meant for all interfaces (Go's and rclone's ":21102").
            error = address.All(char.IsAsciiDigit)
                ? $"listen address '{address}' has no host: did you mean \":{address}\" (all interfaces) or \"127.0.0.1:{address}\"?"
                : $"listen address '{address}' has no port (use \"{address}:8000\" or \":8000\")";
            return false;
        }

        var hostPart = address[..colon];
        var portPart = address[(colon + 1)..];
        if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"listen address '{address}' has an invalid port '{portPart}' (0-65535)";
            return false;
        }

        if (hostPart.Length == 0)
        {
            result = new ListenAddress(ListenAddressKind.AnyIP, null, null, port, null);
            return true;
        }

        if (hostPart.StartsWith('[') || hostPart.Contains(':', StringComparison.Ordinal))
        {
            // Go requires brackets around IPv6 literals ("[::1]:8000"); "::1:8000" is ambiguous.
            if (!(hostPart.StartsWith('[') && hostPart.EndsWith(']')) ||
                !IPAddress.TryParse(hostPart[1..^1], out var v6) ||
                v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"listen address '{address}' is not valid; write IPv6 addresses in brackets, e.g. \"[::1]:8000\"";
                return false;
            }

            result = new ListenAddress(ListenAddressKind.IP, hostPart, v6, port, null);
            return true;
        }

        if (IPAddress.TryParse(hostPart, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && IsDottedQuad(hostPart))
        {
            result = new ListenAddress(ListenAddressKind.IP, hostPart, v4, port, null);
            return true;
        }

        if (string.Equals(hostPart, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            result = new ListenAddress(ListenAddressKind.Localhost, hostPart, null, port, null);
            return true;
        }

        if (Uri.CheckHostName(hostPart) != UriHostNameType.Dns)
        {
            error = $"listen address '{address}' has an invalid host '{hostPart}'";
            return false;
        }

        result = new ListenAddress(ListenAddressKind.HostName, hostPart, null, port, null);
        return true;
    }

    public override string ToString() => Kind switch
    {
        ListenAddressKind.Unix => "unix:" + SocketPath,
        ListenAddressKind.AnyIP => ":" + Port.ToString(CultureInfo.InvariantCulture),
        _ => Host + ":" + Port.ToString(CultureInfo.InvariantCulture),
    };

    // IPAddress.TryParse accepts "1", "1.2" and "0x7f.1" (inet_aton forms); Go does not, and a
    // listen address like "8000" must not silently become 0.0.31.64.
    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
