namespace VfsGateway.Vfs;

/// <summary>
/// A precondition on a put, checked by the backend atomically with the write when
/// <see cref="BackendFeatures.ConditionalPut"/> is set (Azure access conditions, S3 If-None-Match/
/// If-Match); a failed condition is <see cref="VfsErrorKind.PreconditionFailed"/> and nothing is written.
/// Backends without the feature never see a condition: the frontend checks it itself before the put.
/// </summary>
/// <param name="IfNoneMatchAny">Only create: fail when an object exists at the path.</param>
/// <param name="IfMatch">Only replace the version whose ETag (as the frontend showed it to the client, quoted or not) is this.</param>
public sealed record PutCondition(bool IfNoneMatchAny = false, string? IfMatch = null);
