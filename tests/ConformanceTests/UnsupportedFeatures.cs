namespace VfsGateway.ConformanceTests;

/// <summary>Abilities a fixture declares missing; the tests for them then check nothing backend-specific.</summary>
[Flags]
public enum UnsupportedFeatures
{
    None = 0,

    /// <summary>PutOptions.ModTime is not recorded.</summary>
    SetModTime = 1,

    /// <summary>PutOptions.ContentType is not stored natively.</summary>
    ContentType = 2,

    /// <summary>The backend stages no multipart uploads itself (no <see cref="Vfs.Multipart.IMultipartUploads"/>).</summary>
    Multipart = 4,

    /// <summary>The server rewrites a trailing space in a name (pure-ftpd turns it into '_'); such names are not round-tripped.</summary>
    TrailingSpaceInNames = 64,

    /// <summary>A server quirk: a delimiter listing misses directories that hold only directories (s3rver 3.7 prunes its walk below the first level).</summary>
    NestedPrefixListing = 8,

    /// <summary>The storage refuses objects named like the Vfs's temp files (our own serve s3 reserves them for in-flight uploads).</summary>
    TempNamedObjects = 16,

    /// <summary>
    /// A bucket-based backend whose server keeps keys as files in folders (our own serve s3 on a
    /// local directory): "a" next to "a/b", and "dir/" with content, are refused there (409 KeyConflict).
    /// </summary>
    IndependentKeys = 128,

    /// <summary>
    /// A server bug: s3rver 3.7 answers 500 InternalError to a truncated listing page that holds a key
    /// ending in '/', so a directory that holds a "dir/" object next to other keys cannot be statted there.
    /// </summary>
    TruncatedListingOfFolderKeys = 256,

    /// <summary>The backend's metadata is native: it reports its own ETags and checksums, not the ones the writer computed, and every object has some.</summary>
    WriterETags = 32,
}
