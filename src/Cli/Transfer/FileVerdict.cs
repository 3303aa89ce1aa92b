namespace VfsGateway.Cli.Transfer;

/// <summary>How a source file compares with the file of the same path in the destination.</summary>
internal enum FileVerdict
{
    /// <summary>Equal: nothing to copy.</summary>
    Same,

    /// <summary>Missing in the destination, or known to differ: copy it.</summary>
    Differ,

    /// <summary>
    /// Same size, different modification times, and one side has an MD5 the other can be hashed to
    /// match (a destination that cannot keep modification times, such as S3): read and hash to decide.
    /// </summary>
    CompareHashes,
}
