using VfsGateway.Frontends.Http.Status;

namespace VfsGateway.Frontends.Restic;

/// <summary>The restic REST frontend's options (rest-server 0.14's flags).</summary>
public sealed record ResticOptions
{
    /// <summary>DELETE of anything but locks is refused, and nothing is ever overwritten.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>The first path segment of a repository must equal the authenticated user.</summary>
    public bool PrivateRepos { get; init; }

    /// <summary>Skip the SHA-256 check of uploaded blobs against their names.</summary>
    public bool NoVerifyUpload { get; init; }

    /// <summary>Quota for the whole remote in bytes; null for none.</summary>
    public long? MaxSize { get; init; }

    /// <summary>Serve /metrics in the Prometheus text format.</summary>
    public bool Prometheus { get; init; }

    /// <summary>/metrics (and the status page) need no authentication.</summary>
    public bool PrometheusNoAuth { get; init; }

    /// <summary>--status-page: serve /_gateway/status and /_gateway/status.json (behind the metrics' authentication); null for none.</summary>
    public StatusPageInfo? StatusPage { get; init; }

    /// <summary>The htpasswd file (the CLI resolves rest-server's default, .htpasswd in a local root).</summary>
    public string? HtpasswdFile { get; init; }

    /// <summary>How often the htpasswd file is checked for changes (rest-server: 30 s); SIGHUP reloads at once.</summary>
    public TimeSpan HtpasswdCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>--proxy-auth-username: the request header a reverse proxy names the user in (instead of htpasswd); null for none.</summary>
    public string? ProxyAuthUsername { get; init; }

    /// <summary>--trusted-proxy: the networks whose ProxyAuthUsername header is believed; required with it.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>--acl: the file of per-user rights on repository paths (docs/restic.md); null for none.</summary>
    public string? AclFile { get; init; }

    /// <summary>Serve without authentication; without it the server refuses to start when there are no credentials.</summary>
    public bool NoAuth { get; init; }
}
