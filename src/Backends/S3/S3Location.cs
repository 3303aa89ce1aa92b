namespace VfsGateway.Backends.S3;

/// <summary>Where a path lives: its bucket and key ("" for the bucket's own root).</summary>
internal readonly record struct S3Location(string Bucket, string Key)
{
    /// <summary>The key prefix of the directory at this location: "key/", or "" for the bucket's root.</summary>
    public string DirPrefix => Key.Length == 0 ? string.Empty : Key + "/";
}
