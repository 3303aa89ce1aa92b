namespace VfsGateway.Frontends.Http;

/// <summary>
/// A frontend with files an operator may change while it runs (htpasswd, ACLs). The host calls
/// <see cref="Reload"/> on SIGHUP; a file that cannot be read keeps the previous state, and the
/// failure is logged by the frontend, never thrown at the signal.
/// </summary>
public interface IReloadableFrontend
{
    /// <summary>Reloads what can be reloaded; returns what was reloaded, for the log ("htpasswd (3 users)").</summary>
    IEnumerable<string> Reload();
}
