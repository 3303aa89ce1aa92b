namespace VfsGateway.Vfs;

/// <summary>
/// What a backend can do, discovered once from the capability interfaces it implements plus the
/// flags that change Vfs behaviour (rclone's fs.Features). Callers test a capability for null
/// and fall back; core code never asks which backend it has.
/// </summary>
public sealed record BackendFeatures
{
    /// <summary>
    /// No real directories (S3, Azure): directories exist only as prefixes of files. Keys are
    /// independent: an object "a" and objects below "a/" coexist, and "dir/" is an object of its
    /// own (<see cref="VfsPath.AsDirectoryKey"/>) that may hold content.
    /// </summary>
    public bool BucketBased { get; init; }

    /// <summary>An empty directory can exist and be listed.</summary>
    public bool CanHaveEmptyDirectories { get; init; } = true;

    /// <summary>A failed put can leave a partial object behind (local, sftp, ftp): the Vfs writes to a temp name and renames.</summary>
    public bool PartialUploads { get; init; }

    /// <summary>Names that differ only by case are the same file.</summary>
    public bool CaseInsensitive { get; init; }

    public IServerSideCopy? Copy { get; init; }

    public IServerSideMove? Move { get; init; }

    public IRecursiveList? ListRecursive { get; init; }

    public IAbout? About { get; init; }

    /// <summary>Multipart uploads staged by the backend itself, usable from any gateway instance; when null the S3 frontend stages parts on local disk.</summary>
    public Multipart.IMultipartUploads? Multipart { get; init; }

    /// <summary>The backend checks <see cref="PutOptions.Condition"/> atomically with the write; when false the frontend checks conditions itself before the put.</summary>
    public bool ConditionalPut { get; init; }

    /// <summary>
    /// The backend stores <see cref="Metadata.ObjectMetadata"/> with its objects; when null the Vfs
    /// keeps sidecar records under the reserved ".gateway-meta" directory instead (docs/vfs.md).
    /// </summary>
    public Metadata.IMetadataStorage? Metadata { get; init; }

    /// <summary>
    /// The longest name (one path segment, UTF-8 bytes) the backend can hold, or null for no limit of
    /// its own: file systems hold 255 (NAME_MAX). The Vfs refuses longer names before any I/O, so a
    /// refused write leaves no directory behind (issue 12).
    /// </summary>
    public int? MaxNameBytes { get; init; }

    /// <summary>Builds the feature set of <paramref name="backend"/> from the interfaces it implements and the given flags.</summary>
    public static BackendFeatures Discover(
        object backend,
        bool bucketBased = false,
        bool canHaveEmptyDirectories = true,
        bool partialUploads = false,
        bool caseInsensitive = false,
        bool conditionalPut = false,
        int? maxNameBytes = null) => new()
        {
            BucketBased = bucketBased,
            CanHaveEmptyDirectories = canHaveEmptyDirectories,
            PartialUploads = partialUploads,
            CaseInsensitive = caseInsensitive,
            ConditionalPut = conditionalPut,
            MaxNameBytes = maxNameBytes,
            Copy = backend as IServerSideCopy,
            Move = backend as IServerSideMove,
            ListRecursive = backend as IRecursiveList,
            About = backend as IAbout,
            Metadata = backend as Metadata.IMetadataStorage,
            Multipart = backend as Multipart.IMultipartUploads,
        };
}
