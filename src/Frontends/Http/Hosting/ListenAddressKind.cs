namespace VfsGateway.Frontends.Http.Hosting;

internal enum ListenAddressKind
{
    /// <summary>":port": every interface, IPv6 and IPv4.</summary>
    AnyIP,

    /// <summary>An IPv4 or bracketed IPv6 literal.</summary>
    IP,

    /// <summary>"localhost:port": both loopback addresses.</summary>
    Localhost,

    /// <summary>Another host name, resolved when the server starts.</summary>
    HostName,

    /// <summary>"unix:/path": a Unix domain socket.</summary>
    Unix,
}
