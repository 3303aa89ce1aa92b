using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// An S3 frontend over a fresh memory backend (or a given shared one), served in-process by TestServer.
/// By default the backend's multipart capability is hidden so parts are staged on local disk, as
/// with local/sftp/ftp; <c>backendMultipart: true</c> or a <c>wrap</c> keeps it.
/// </summary>
internal sealed class S3TestHost : IAsyncDisposable
{
    public const string AccessKey = "AKIDGATEWAYTEST";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYGATEWAYKEY";

    private readonly WebApplication _app;

    private S3TestHost(WebApplication app, VirtualFileSystem vfs, S3Frontend frontend, string cacheDir)
    {
        _app = app;
        Vfs = vfs;
        Frontend = frontend;
        CacheDir = cacheDir;
        Server = app.GetTestServer();
        Client = Server.CreateClient();
    }

    public VirtualFileSystem Vfs { get; }

    public S3Frontend Frontend { get; }

    public string CacheDir { get; }

    public TestServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>Every request the server saw (method, target, lower-case headers), to assert what a client really sent.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Method, string Target, Dictionary<string, string> Headers)> Requests { get; private init; } = new();

    public static async Task<S3TestHost> StartAsync(S3Options? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null, Func<IBackend, IBackend>? wrap = null, TimeSpan? completeKeepAlive = null, VfsOptions? vfsOptions = null, bool backendMultipart = false, IBackend? shared = null)
    {
        var cacheDir = Path.Combine(Path.GetTempPath(), "s3test-" + Guid.NewGuid().ToString("N"));
        options ??= new S3Options { AuthKeys = [new S3AccessKey(AccessKey, SecretKey)] };
        options = options with { CacheDir = options.CacheDir ?? cacheDir };
        IBackend backend = shared is null ? new MemoryBackend(new MemoryOptions(VfsPath.Root)) : new SharedBackend(shared);
        var vfs = new VirtualFileSystem(wrap is not null ? wrap(backend) : backendMultipart ? backend : new LocalStagingBackend(backend), vfsOptions);
        var frontend = new S3Frontend(vfs, options, loggerFactory ?? NullLoggerFactory.Instance, time ?? TimeProvider.System) { CompleteKeepAliveInterval = completeKeepAlive ?? TimeSpan.FromSeconds(10) };
        await frontend.StartAsync(CancellationToken.None);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Method, string Target, Dictionary<string, string> Headers)>();
        app.Use(async (context, next) =>
        {
            seen.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
            await next(context);
        });
        app.Run(frontend.HandleAsync);
        await app.StartAsync();
        return new S3TestHost(app, vfs, frontend, options.CacheDir!) { Requests = seen };
    }

    /// <summary>The real AWS SDK, pointed at the TestServer, with its default checksum behaviour.</summary>
    public AmazonS3Client CreateSdkClient(string accessKey = AccessKey, string secretKey = SecretKey)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = "http://localhost",
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = new TestHttpClientFactory(Server),
            MaxErrorRetry = 0,
        };
        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Vfs.DisposeAsync();
        if (Directory.Exists(CacheDir))
        {
            Directory.Delete(CacheDir, recursive: true);
        }
    }

    /// <summary>
    /// The SDK builds URIs with DangerousDisablePathAndQueryCanonicalization, which TestServer's
    /// handler cannot read; a plain Uri of the same text is equivalent for the keys used here.
    /// </summary>
    private sealed class CanonicalUriHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(request.RequestUri!.OriginalString);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class TestHttpClientFactory(TestServer server) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new CanonicalUriHandler { InnerHandler = server.CreateHandler() }) { BaseAddress = server.BaseAddress };

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
