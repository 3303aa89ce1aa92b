namespace VfsGateway.Frontends.Http;

/// <summary>The listener and logging options every HTTP frontend shares (rest-server's flag names).</summary>
public sealed record HttpServerOptions
{
    /// <summary>"host:port", ":port" (all interfaces), "[::1]:port" or "unix:/path/to.sock". rest-server's default is ":8000".</summary>
    public string Address { get; init; } = ":8000";

    /// <summary>Serve HTTP/2 cleartext on stdin/stdout instead of listening (restic's rclone: backend).</summary>
    public bool Stdio { get; init; }

    public bool Tls { get; init; }

    /// <summary>PEM certificate file; rest-server's default is "public_key" in the data directory.</summary>
    public string? TlsCert { get; init; }

    /// <summary>PEM private key file; rest-server's default is "private_key" in the data directory.</summary>
    public string? TlsKey { get; init; }

    /// <summary>"1.2" or "1.3".</summary>
    public string TlsMinVersion { get; init; } = "1.2";

    /// <summary>Access log in Apache combined format: a file path, "-" for stdout, null for none.</summary>
    public string? LogFile { get; init; }

    public bool Debug { get; init; }
}
