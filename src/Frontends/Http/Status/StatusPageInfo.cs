namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// What the status page says about the server beyond its metrics (--status-page): the backend's
/// type and root and the remote as typed. None of it may contain a secret (no option values).
/// </summary>
/// <param name="BackendType">The backend's registered name ("local", "sftp", …).</param>
/// <param name="Root">The backend root (a path or bucket/prefix; no host credentials).</param>
/// <param name="Remote">The remote as shown in the startup line ("local:/srv/restic", "nas:backup").</param>
/// <param name="Version">The gateway's version.</param>
public sealed record StatusPageInfo(string BackendType, string Root, string Remote, string Version);
