namespace VfsGateway.Frontends.Restic;

/// <summary>What an --acl rule grants on a repository; each right includes the ones before it.</summary>
public enum AclRight
{
    /// <summary>Nothing: every request answers 403.</summary>
    None = 0,

    /// <summary>HEAD, GET and listings.</summary>
    Read = 1,

    /// <summary>Read, plus creating the repository, uploading objects that do not exist and deleting locks (what --append-only allows).</summary>
    Append = 2,

    /// <summary>Everything: also deleting and replacing objects (forget, prune).</summary>
    Modify = 3,
}
