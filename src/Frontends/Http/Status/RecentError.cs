namespace VfsGateway.Frontends.Http.Status;

/// <summary>One failed request as the status page lists it (no query string, no user, no headers).</summary>
internal readonly record struct RecentError(DateTimeOffset Time, int Status, string Method, string Path);
