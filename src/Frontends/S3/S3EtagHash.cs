namespace VfsGateway.Frontends.S3;

/// <summary>How the ETag of a stored object is computed.</summary>
public enum S3EtagHash
{
    /// <summary>The MD5 of the content, as AWS does for single-part uploads (computed while streaming).</summary>
    Md5,

    /// <summary>No hash: the ETag is derived from the backend's tag, or from size and modification time.</summary>
    None,
}
