namespace VfsGateway.Frontends.Restic;

internal enum ResticRouteKind
{
    /// <summary>"{repo}/": POST ?create=true.</summary>
    Repository,

    /// <summary>"{repo}/config".</summary>
    Config,

    /// <summary>"{repo}/{type}/": the listing.</summary>
    List,

    /// <summary>"{repo}/{type}/{64 hex}".</summary>
    Object,
}
