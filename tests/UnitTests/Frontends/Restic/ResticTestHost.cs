using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using VfsGateway.Backends.Memory;
using VfsGateway.Frontends.Restic;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.Restic;

/// <summary>A ResticFrontend behind an in-process TestServer, over the memory backend unless told otherwise.</summary>
internal sealed class ResticTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResticTestHost(WebApplication app, ResticFrontend frontend, VirtualFileSystem vfs, IBackend backend, TestLoggerProvider logs)
    {
        _app = app;
        Frontend = frontend;
        Vfs = vfs;
        Backend = backend;
        Logs = logs;
        Server = app.GetTestServer();
        Client = Server.CreateClient();
    }

    public ResticFrontend Frontend { get; }

    public VirtualFileSystem Vfs { get; }

    public IBackend Backend { get; }

    public TestServer Server { get; }

    public HttpClient Client { get; }

    public TestLoggerProvider Logs { get; }

    /// <summary>The user name the frontend put into HttpContext.User on the last request.</summary>
    public string? LastUser { get; private set; }

    public static async Task<ResticTestHost> StartAsync(ResticOptions? options = null, IBackend? backend = null)
    {
        options ??= new ResticOptions { NoAuth = true };
        backend ??= new MemoryBackend(new MemoryOptions(VfsPath.Root));
        var logs = new TestLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var vfs = new VirtualFileSystem(backend);
        var frontend = new ResticFrontend(vfs, options, loggerFactory);
        await frontend.StartAsync(CancellationToken.None);

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ResticTestHost? host = null;
        app.Use(async (context, next) =>
        {
            await next(context);
            host!.LastUser = context.User.Identity?.Name;
        });
        app.Run(frontend.HandleAsync);
        await app.StartAsync();
        host = new ResticTestHost(app, frontend, vfs, backend, logs);
        return host;
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Uploads content under its SHA-256 name; returns the name.</summary>
    public async Task<string> UploadAsync(string repoPrefix, string type, byte[] content, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var id = Sha256Hex(content);
        using var response = await SendAsync(HttpMethod.Post, $"{repoPrefix}/{type}/{id}", content);
        Assert.Equal(expected, response.StatusCode);
        return id;
    }

    /// <summary>Sends a request with a raw target and a decoded path as the server would have produced them.</summary>
    public Task<HttpContext> SendRawAsync(string method, string rawTarget, string decodedPath, AuthenticationHeaderValue? auth = null) =>
        Server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = new PathString(decodedPath);
            context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
            if (auth is not null)
            {
                context.Request.Headers.Authorization = auth.ToString();
            }
        });

    /// <summary>Sends a request whose body is <paramref name="body"/> as the server would read it (a short or failing body included).</summary>
    public Task<HttpContext> SendBodyAsync(string method, string path, Stream body, long? contentLength, AuthenticationHeaderValue? auth = null) =>
        Server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = new PathString(path);
            context.Request.Body = body;
            context.Request.ContentLength = contentLength;
            if (auth is not null)
            {
                context.Request.Headers.Authorization = auth.ToString();
            }
        });

    public async Task<bool> ExistsAsync(string path)
    {
        try
        {
            await Vfs.StatAsync(VfsPath.Parse(path), CancellationToken.None);
            return true;
        }
        catch (VfsException e) when (e.Kind is VfsErrorKind.NotFound or VfsErrorKind.DirNotFound)
        {
            return false;
        }
    }

    public async Task<List<Entry>> AllFilesAsync()
    {
        var files = new List<Entry>();
        await foreach (var entry in Vfs.ListRecursiveAsync(VfsPath.Root, CancellationToken.None))
        {
            if (!entry.IsDirectory)
            {
                files.Add(entry);
            }
        }

        return files;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Frontend.Dispose();
        await _app.DisposeAsync();
        await Vfs.DisposeAsync();
    }
}
