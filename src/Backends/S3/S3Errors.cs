using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>
/// AWS SDK exceptions → <see cref="VfsErrorKind"/>, in one place. The SDK has already retried what
/// its retry mode counts as retryable (throttling, 5xx, broken connections) before anything gets
/// here, so "transient" means "still failing after the SDK's retries". Messages name the S3 error
/// code and the path, never a key or a stack.
/// </summary>
internal static class S3Errors
{
    /// <summary>True for the exceptions of a request to the server (not the caller's own stream or cancellation).</summary>
    public static bool IsSdkFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
        || (e is TaskCanceledException && e.InnerException is TimeoutException);

    /// <summary>Maps a failed request about <paramref name="path"/>; <paramref name="missing"/> is the kind for a plain 404.</summary>
    public static VfsException Map(Exception e, string operation, VfsPath path, VfsErrorKind missing = VfsErrorKind.NotFound)
    {
        if (e is not AmazonS3Exception s3)
        {
            var detail = e is AmazonServiceException service ? $"{service.ErrorCode ?? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {service.Message}" : Innermost(e).Message;
            return new VfsException(VfsErrorKind.Transient, $"s3: {operation} '{path}' failed: {detail}", path.Value, e);
        }

        var (kind, what) = (s3.ErrorCode, s3.StatusCode) switch
        {
            ("NoSuchBucket", _) => (VfsErrorKind.DirNotFound, "the bucket does not exist"),
            ("NoSuchKey", _) => (missing, "not found"),
            ("NoSuchUpload", _) => (VfsErrorKind.NotFound, "no such multipart upload"),
            ("BucketNotEmpty", _) => (VfsErrorKind.DirNotEmpty, "the bucket is not empty"),
            ("BucketAlreadyOwnedByYou" or "BucketAlreadyExists", _) => (VfsErrorKind.AlreadyExists, "the bucket already exists"),
            ("InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AccessDenied" or "ExpiredToken" or "InvalidToken", _) or (_, HttpStatusCode.Forbidden) =>
                (VfsErrorKind.PermissionDenied, "access denied (check access_key_id/secret_access_key and the bucket's policy)"),
            ("PreconditionFailed", _) or (_, HttpStatusCode.PreconditionFailed) => (VfsErrorKind.PreconditionFailed, "precondition failed"),
            ("InvalidPart" or "InvalidPartOrder" or "EntityTooSmall" or "EntityTooLarge" or "InvalidRange" or "InvalidArgument" or "InvalidRequest" or "InvalidBucketName" or "KeyTooLongError" or "MalformedXML", _) =>
                (VfsErrorKind.Invalid, "rejected by the server"),
            ("NotImplemented", _) or (_, HttpStatusCode.NotImplemented) => (VfsErrorKind.NotSupported, "not supported by the server"),
            (_, HttpStatusCode.NotFound) => (missing, "not found"),
            (_, HttpStatusCode.InsufficientStorage) => (VfsErrorKind.InsufficientStorage, "the server is out of space"),
            (_, >= HttpStatusCode.InternalServerError) or (_, HttpStatusCode.TooManyRequests) or (_, HttpStatusCode.Conflict) or (_, HttpStatusCode.RequestTimeout) =>
                (VfsErrorKind.Transient, "failed on the server"),
            (_, >= HttpStatusCode.BadRequest) => (VfsErrorKind.Invalid, "rejected by the server"),
            _ => (VfsErrorKind.Transient, "failed"),
        };

        var code = string.IsNullOrEmpty(s3.ErrorCode) ? ((int)s3.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : s3.ErrorCode;
        var message = string.IsNullOrEmpty(s3.Message) || s3.Message == s3.ErrorCode ? code : $"{code}: {s3.Message}";
        return new VfsException(kind, $"s3: {operation} '{path}': {what} ({message})", path.Value, e);
    }

    /// <summary>The startup check's message: what is wrong with the configuration, in the user's terms.</summary>
    public static VfsException StartupFailed(Exception e, S3Options options)
    {
        var where = options.Describe();
        if (e is AmazonS3Exception s3)
        {
            var mapped = Map(e, "check", VfsPath.Root, VfsErrorKind.DirNotFound);
            return mapped.Kind switch
            {
                VfsErrorKind.DirNotFound => new VfsException(VfsErrorKind.DirNotFound, $"s3: bucket '{options.Bucket}' does not exist ({where}); create it first, or check the name and the endpoint", null, e),
                VfsErrorKind.PermissionDenied => new VfsException(VfsErrorKind.PermissionDenied, $"s3: access to {where} denied: {s3.ErrorCode ?? "403"} (check access_key_id and secret_access_key, or env_auth/profile)", null, e),
                _ => new VfsException(mapped.Kind, $"s3: cannot use {where}: {mapped.Message}", null, e),
            };
        }

        return new VfsException(VfsErrorKind.Transient, $"s3: cannot reach {where}: {Innermost(e).Message}", null, e);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
