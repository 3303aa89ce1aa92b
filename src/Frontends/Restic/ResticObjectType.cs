namespace VfsGateway.Frontends.Restic;

/// <summary>What a repository holds: the config file and the five object directories.</summary>
internal enum ResticObjectType
{
    Config,
    Data,
    Keys,
    Locks,
    Snapshots,
    Index,
}
