namespace VfsGateway.Frontends.S3;

/// <summary>
/// The query parameters that name an S3 sub-resource (an operation of its own: bucket and object
/// configuration, versions, torrents, select…). The router answers 501 NotImplemented for those it
/// has no route for; any other unknown query parameter is ignored, as AWS ignores it.
/// </summary>
internal static class S3SubResources
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
        "inventory", "legal-hold", "lifecycle", "location", "logging", "metadataConfiguration", "metadataTable",
        "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy", "policyStatus",
        "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
        "select-type", "session", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions",
        "website",
    };

    public static bool Contains(string name) => Names.Contains(name);
}
