using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;
using VfsGateway.Frontends.Http.Status;
using VfsGateway.Frontends.S3.Auth;
using VfsGateway.Frontends.S3.Handlers;
using VfsGateway.Frontends.S3.Multipart;
using VfsGateway.Frontends.S3.Xml;
using VfsGateway.Vfs;

namespace VfsGateway.Frontends.S3;

/// <summary>
/// The S3 frontend (serve s3): root directories of the remote are buckets, files below them are
/// objects; files directly in the root are not visible. Talks only to the Vfs.
/// </summary>
internal sealed partial class S3Frontend : IHttpFrontend
{
    private readonly VirtualFileSystem _vfs;
    private readonly S3Options _options;
    private readonly ILogger _logger;
    private readonly SigV4Authenticator _auth;
    private readonly IS3MultipartUploads _uploads;
    private readonly S3Context _context;
    private readonly S3Router _router;
    private readonly S3Metrics? _metrics;
    private readonly StatusPage? _status;

    public S3Frontend(VirtualFileSystem vfs, S3Options options, ILoggerFactory loggerFactory)
        : this(vfs, options, loggerFactory, TimeProvider.System)
    {
    }

    internal S3Frontend(VirtualFileSystem vfs, S3Options options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _vfs = vfs;
        _options = options;
        _logger = loggerFactory.CreateLogger<S3Frontend>();
        _auth = new SigV4Authenticator(options, time);
        // The status page reads the same registry that /_gateway/metrics exports, so it needs the counters too.
        _metrics = options.Prometheus || options.StatusPage is not null ? new S3Metrics(() => vfs.CacheStats) : null;
        if (options.StatusPage is { } info)
        {
            _status = new StatusPage(
                _metrics!.Gateway,
                info,
                new StatusFrontend("s3", "S3", BytesInMetric: "s3_received_bytes_total", BytesOutMetric: "s3_sent_bytes_total"),
                vfs.Options.CacheMode.ToString().ToLowerInvariant());
        }
        _uploads = vfs.Multipart is { } backend
            ? new BackendMultipartUploads(backend, time)
            : new LocalMultipartUploads(vfs, new MultipartStore(options.CacheDir ?? Path.Combine(Path.GetTempPath(), "gateway-s3-multipart"), options.MultipartExpiry, time), time, _logger);
        _context = new S3Context(vfs, options, _uploads, _logger);
        _router = new S3Router(_context, _auth);
    }

    /// <summary>How long a Complete may run before the response starts and whitespace keeps it alive (tests shorten it).</summary>
    internal TimeSpan CompleteKeepAliveInterval
    {
        get => _context.CompleteKeepAliveInterval;
        init => _context.CompleteKeepAliveInterval = value;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.NoAuth && _options.AuthKeys.Count == 0)
        {
            throw new GatewayStartupException("serve s3 needs at least one access key: --auth-key-file FILE (one ACCESS_KEY_ID,SECRET_ACCESS_KEY per line), $GATEWAY_AUTH_KEY, auth_key in the config file's [serve s3] section, or --auth-key (or --no-auth to serve without authentication)");
        }

        if (_options.AuthKeys.Any(k => string.IsNullOrEmpty(k.AccessKeyId) || string.IsNullOrEmpty(k.SecretAccessKey) || k.AccessKeyId.Contains('/', StringComparison.Ordinal)))
        {
            throw new GatewayStartupException("every --auth-key needs a non-empty access key id (without '/') and secret");
        }

        await _uploads.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (_options.Prometheus && _metrics is not null && IsMetricsRequest(context))
        {
            await ServeMetricsAsync(context, _metrics).ConfigureAwait(false);
            return;
        }

        // Not counted as traffic: the page polls every two seconds.
        if (_status is not null && IsStatusRequest(context))
        {
            await ServeStatusAsync(context, _status).ConfigureAwait(false);
            return;
        }

        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        CountingRequestStream? received = null;
        CountingResponseBodyFeature? sent = null;
        if (_metrics is not null)
        {
            received = new CountingRequestStream(context.Request.Body);
            context.Request.Body = received;
            sent = new CountingResponseBodyFeature(context.Features.Get<IHttpResponseBodyFeature>()!);
            context.Features.Set<IHttpResponseBodyFeature>(sent);
        }

        var operation = "Unknown";
        var errorCode = await HandleCoreAsync(context, op => operation = op).ConfigureAwait(false);
        _metrics?.Record(operation, errorCode, received!.BytesRead, sent!.BytesWritten, start);
        _status?.Errors.Record(context);
    }

    /// <summary>Answers one S3 request; returns the S3 error code it was answered with, or null on success.</summary>
    private async Task<string?> HandleCoreAsync(HttpContext context, Action<string> routed)
    {
        var requestId = NewRequestId();
        context.Response.Headers["x-amz-request-id"] = requestId;
        context.Response.Headers["x-amz-id-2"] = requestId;
        var resource = context.Request.Path.Value ?? "/";
        S3Error error;
        try
        {
            var request = S3Request.Parse(context, _options, requestId, _vfs.Features.BucketBased);
            resource = request.Resource;
            var (operation, handler) = _router.Route(request);
            routed(operation);
            if (operation != S3Router.PostObject)
            {
                request.Auth = _auth.Authenticate(request);
            }

            await handler().ConfigureAwait(false);
            return null;
        }
        catch (S3Exception e)
        {
            LogS3Error(_logger, context.Request.Method, resource, e.Error.Code, e.Message);
            await WriteErrorAsync(context, e.Error, e.Message, resource, requestId, e.Details).ConfigureAwait(false);
            error = e.Error;
        }
        catch (VfsException e)
        {
            error = S3Errors.FromKind(e.Kind);
            if (error.Status >= 500)
            {
                LogVfsFailure(_logger, context.Request.Method, resource, e.Kind, e.Message);
            }

            // A key conflict is explained in the client's terms (keys), not in the storage's (paths).
            await WriteErrorAsync(context, error, error == S3Error.KeyConflict ? error.Message : e.Message, resource, requestId, []).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is OverflowException)
        {
            // Kestrel reports a chunk size that overflows as an IOException ("Bad chunk size data"), not as a bad request.
            error = S3Error.IncompleteBody;
            await WriteErrorAsync(context, error, "The chunked request body is malformed (bad chunk size).", resource, requestId, []).ConfigureAwait(false);
        }
        catch (Exception e) when (BadRequestIn(e) is { } bad)
        {
            // Kestrel's verdict on the body framing (bad chunk sizes, a body shorter than Content-Length),
            // also when it surfaces wrapped by a stream or task between the socket and the backend.
            error = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? S3Error.EntityTooLarge : S3Error.IncompleteBody;
            await WriteErrorAsync(context, error, bad.Message, resource, requestId, []).ConfigureAwait(false);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to answer.
            return "ClientDisconnected";
        }
        catch (Exception e)
        {
            LogUnexpected(_logger, context.Request.Method, resource, e);
            error = S3Error.InternalError;
            await WriteErrorAsync(context, error, error.Message, resource, requestId, []).ConfigureAwait(false);
        }

        return error.Code;
    }

    private static BadHttpRequestException? BadRequestIn(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException bad)
            {
                return bad;
            }

            if (inner is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return BadRequestIn(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    private static async Task WriteErrorAsync(HttpContext context, S3Error error, string message, string resource, string requestId, IReadOnlyList<KeyValuePair<string, string>> details)
    {
        if (context.Response.HasStarted)
        {
            // Headers are gone: the only honest signal left is a broken connection.
            context.Abort();
            return;
        }

        context.Response.Headers.Remove("ETag");
        context.Response.Headers.Remove("Last-Modified");
        context.Response.ContentLength = null;

        // An error answer to a request with a body (412, a bad checksum header, 403…) usually comes before
        // the body was read, and a client that sent Expect: 100-continue may never send it: the next bytes
        // on the connection are then either body or the next request. Closing after the answer is the
        // only deterministic way (issue 12); clients reconnect.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            context.Response.Headers.Connection = "close";
        }

        if (error.Status == StatusCodes.Status304NotModified || HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = error.Status;
            return;
        }

        await S3Xml.WriteErrorDocumentAsync(context.Response, error, message, resource, requestId, details).ConfigureAwait(false);
    }

    private static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexString(bytes);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Resource}: {Code} {Message}")]
    private static partial void LogS3Error(ILogger logger, string method, string resource, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Resource} failed in the storage: {Kind} {Message}")]
    private static partial void LogVfsFailure(ILogger logger, string method, string resource, VfsErrorKind kind, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Resource} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string method, string resource, Exception exception);
}
