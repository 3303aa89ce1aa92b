using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.S3;

/// <summary>The SDK client (configured once: endpoint, credentials, retry mode, checksums), the startup check, paths → bucket and key, and the one error edge.</summary>
internal sealed partial class S3Backend
{
    /// <summary>Builds the client and makes one cheap call so that wrong keys, a missing bucket or an unreachable endpoint fail at startup.</summary>
    public static async Task<S3Backend> CreateAsync(S3Options options, ILogger logger, CancellationToken cancellationToken)
    {
        options.Validate();
        var backend = new S3Backend(options, CreateClient(options), logger);
        if (!options.NoCheckBucket)
        {
            try
            {
                await backend.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await backend.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        LogReady(logger, options);
        return backend;
    }

    internal static AmazonS3Client CreateClient(S3Options options)
    {
        var config = new AmazonS3Config
        {
            // Retries happen here and nowhere else: the SDK's standard mode (exponential backoff with
            // jitter, a retry quota) for throttling, 5xx and broken connections.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = options.ChecksumWhenRequired ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,

            // Reads are ranged and streamed to the client; a whole-object checksum can rarely be checked.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region ?? "us-east-1");
        }

        if (options.EnvAuth && options.Profile is { } profile)
        {
            config.Profile = new Profile(profile);
        }

        // Explicit keys win; with env_auth alone the SDK walks its default chain (env, profile, container, instance role).
        AWSCredentials? credentials = options.AccessKeyId is { } id && options.SecretAccessKey is { } secret
            ? options.SessionToken is { } token ? new SessionAWSCredentials(id, secret, token) : new BasicAWSCredentials(id, secret)
            : null;
        return credentials is null ? new S3SdkClient(config) : new S3SdkClient(credentials, config);
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Options.Bucket is { } bucket)
            {
                // Needs only list permission on the bucket, and answers NoSuchBucket for a wrong name.
                var request = new ListObjectsV2Request { BucketName = bucket, Prefix = Options.Prefix.Length == 0 ? null : Options.Prefix + "/", MaxKeys = 1 };
                await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _client.ListBucketsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (S3Errors.IsSdkFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw S3Errors.StartupFailed(e, Options);
        }
    }

    /// <summary>Runs one SDK call; its failures become <see cref="VfsException"/>s here, and only here.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string operation, VfsPath path, VfsErrorKind missing = VfsErrorKind.NotFound)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (S3Errors.IsSdkFailure(e))
        {
            var mapped = S3Errors.Map(e, operation, path, missing);
            if (mapped.Kind == VfsErrorKind.Transient)
            {
                LogTransient(_logger, operation, path.Value, mapped.Message);
            }

            throw mapped;
        }
    }

    /// <summary><c>s3:</c> (every bucket) and <paramref name="dir"/> is its root, whose children are the buckets.</summary>
    private bool IsAccountRoot(VfsPath dir) => Options.Bucket is null && dir.IsRoot;

    /// <summary>The bucket and key of <paramref name="path"/>; with <paramref name="forObject"/> a bucket itself is not a valid answer.</summary>
    private S3Location Locate(VfsPath path, bool forObject = false)
    {
        S3Location location;
        if (Options.Bucket is { } bucket)
        {
            var key = Options.Prefix.Length == 0 ? path.Value : path.IsRoot ? Options.Prefix : Options.Prefix + "/" + path.Value;
            location = new S3Location(bucket, key);
        }
        else
        {
            if (path.IsRoot)
            {
                throw new VfsException(VfsErrorKind.Invalid, "the root of s3: holds only buckets", path.Value);
            }

            var slash = path.Value.IndexOf('/', StringComparison.Ordinal);
            location = slash < 0 ? new S3Location(path.Value, string.Empty) : new S3Location(path.Value[..slash], path.Value[(slash + 1)..]);
        }

        if (forObject && (path.IsRoot || location.Key.Length == 0))
        {
            throw path.IsRoot ? new VfsException(VfsErrorKind.Invalid, "cannot write to the root", path.Value) : VfsException.IsDirectory(path);
        }

        return location;
    }

    private static void LogReady(ILogger logger, S3Options options)
    {
        var where = options.Describe();
        LogReady(logger, where);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "s3 backend ready: {Where}")]
    private static partial void LogReady(ILogger logger, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "s3: {Operation} {Path} failed after the SDK's retries: {Error}")]
    private static partial void LogTransient(ILogger logger, string operation, string path, string error);
}
