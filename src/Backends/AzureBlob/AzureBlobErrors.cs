using Azure;
using Azure.Storage.Blobs.Models;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.AzureBlob;

/// <summary>
/// Azure SDK failures → <see cref="VfsErrorKind"/>, in one place. Retries happen only in the SDK's
/// pipeline (configured once in <see cref="AzureBlobClients"/>, Retry-After honoured); what reaches
/// here has already been retried, so "transient" only tells the caller it may try again later.
/// </summary>
internal static class AzureBlobErrors
{
    /// <summary>Maps <paramref name="e"/> for an operation on <paramref name="path"/>; <paramref name="missing"/> is the kind for a missing blob.</summary>
    public static VfsException Map(Exception e, string path, VfsErrorKind missing = VfsErrorKind.NotFound)
    {
        switch (e)
        {
            case VfsException v:
                return v;
            case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                // The retry policy gives up with every attempt's failure; the last one tells why.
                return Map(aggregate.InnerExceptions[^1], path, missing) is var last && last.Kind == VfsErrorKind.Transient
                    ? new VfsException(VfsErrorKind.Transient, $"{last.Message} (after {aggregate.InnerExceptions.Count} attempts)", path, e)
                    : last;
            case RequestFailedException r:
                return MapRequest(r, path, missing);
            case HttpRequestException or IOException or TimeoutException:
                return new VfsException(VfsErrorKind.Transient, $"azureblob: cannot reach the storage service ({e.Message})", path, e);
            case OperationCanceledException:
                // The network timeout of the SDK surfaces as a cancellation the caller did not ask for.
                return new VfsException(VfsErrorKind.Transient, "azureblob: the storage service did not answer in time", path, e);
            default:
                return new VfsException(VfsErrorKind.Transient, $"azureblob: {e.Message}", path, e);
        }
    }

    /// <summary>True for failures <see cref="Map"/> can translate (callers still rethrow a cancellation they asked for themselves).</summary>
    public static bool IsMappable(Exception e) => e is RequestFailedException or AggregateException or HttpRequestException or IOException or TimeoutException;

    private static VfsException MapRequest(RequestFailedException e, string path, VfsErrorKind missing)
    {
        var code = e.ErrorCode ?? string.Empty;
        var (kind, message) = (e.Status, code) switch
        {
            (0, _) => (VfsErrorKind.Transient, $"azureblob: cannot reach the storage service ({Inner(e)})"),
            (_, "ContainerNotFound") => (missing == VfsErrorKind.NotFound ? VfsErrorKind.NotFound : VfsErrorKind.DirNotFound, $"azureblob: container of '{path}' not found"),
            (404, _) => (missing, missing == VfsErrorKind.DirNotFound ? $"directory '{path}' not found" : $"'{path}' not found"),
            (409, "BlobArchived") => (VfsErrorKind.PermissionDenied,
                $"'{path}' is in the Archive access tier and cannot be read until it is rehydrated to the Hot, Cool or Cold tier (Set Blob Tier)"),
            (409, "BlobBeingRehydrated") => (VfsErrorKind.PermissionDenied, $"'{path}' is being rehydrated from the Archive access tier and cannot be read yet"),
            (409, "ContainerAlreadyExists" or "BlobAlreadyExists") => (VfsErrorKind.AlreadyExists, $"'{path}' already exists"),
            (409, "ContainerBeingDeleted") => (VfsErrorKind.Transient, $"container of '{path}' is being deleted; try again later"),
            (409, _) or (412, _) when code is "ConditionNotMet" or "TargetConditionNotMet" => (VfsErrorKind.PreconditionFailed, $"precondition on '{path}' failed"),
            (412, _) => (VfsErrorKind.PreconditionFailed, $"precondition on '{path}' failed"),
            (409, _) => (VfsErrorKind.AlreadyExists, $"conflict on '{path}' ({code})"),
            (403, _) => (VfsErrorKind.PermissionDenied, $"azureblob: access to '{path}' denied ({code}: check the account key, SAS token or role assignment)"),
            (401, _) => (VfsErrorKind.PermissionDenied, $"azureblob: not authenticated for '{path}' ({code})"),
            (413, _) => (VfsErrorKind.Invalid, $"azureblob: '{path}' is too large for one request ({code})"),
            (416, _) => (VfsErrorKind.Invalid, $"azureblob: invalid range for '{path}'"),
            (400, _) => (VfsErrorKind.Invalid, $"azureblob: the service rejected the request for '{path}' ({code})"),
            (408 or 429 or >= 500, _) => (VfsErrorKind.Transient, $"azureblob: the storage service is busy or failed for '{path}' ({e.Status} {code})"),
            _ => (VfsErrorKind.Transient, $"azureblob: request for '{path}' failed ({e.Status} {code})"),
        };
        return new VfsException(kind, message, path, e);
    }

    private static string Inner(Exception e) => e.InnerException?.Message ?? e.Message;

    /// <summary>The tier name for messages.</summary>
    public static string TierName(AccessTier? tier) => tier?.ToString() ?? "default";
}
