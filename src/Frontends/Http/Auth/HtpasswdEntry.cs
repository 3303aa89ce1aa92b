namespace VfsGateway.Frontends.Http.Auth;

/// <summary>One "user:hash" line of an htpasswd file.</summary>
internal readonly record struct HtpasswdEntry(string User, string Hash);
