using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace VfsGateway.Frontends.Http.Auth;

/// <summary>
/// --proxy-auth-username HEADER: the user is whoever a reverse proxy in front of the gateway
/// says in HEADER. rest-server 0.14 believes the header from any client, so anyone who can reach
/// the port can claim any user; here it is believed only from the --trusted-proxy networks, and a
/// request from anywhere else is refused as unauthenticated (whatever it sends).
/// </summary>
public sealed class ProxyAuthenticator
{
    private readonly string _header;
    private readonly IReadOnlyList<IPNetwork> _trusted;

    public ProxyAuthenticator(string header, IReadOnlyList<IPNetwork> trusted)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(header);
        ArgumentNullException.ThrowIfNull(trusted);
        if (trusted.Count == 0)
        {
            throw new ArgumentException("at least one trusted proxy network is needed", nameof(trusted));
        }

        _header = header;
        _trusted = trusted;
    }

    public string Header => _header;

    /// <summary>The user named in the header of a request that came from a trusted proxy, as an identity.</summary>
    public bool TryAuthenticate(HttpContext context, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        ArgumentNullException.ThrowIfNull(context);
        principal = null;
        if (!IsTrusted(context.Connection.RemoteIpAddress))
        {
            return false;
        }

        var values = context.Request.Headers[_header];
        if (values.Count != 1 || !HtpasswdUserName.IsValid(values[0]))
        {
            return false;
        }

        principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, values[0]!)], "proxy"));
        return true;
    }

    public bool IsTrusted(IPAddress? address)
    {
        if (address is null)
        {
            // A unix socket: no address to check, so no proxy to believe.
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
