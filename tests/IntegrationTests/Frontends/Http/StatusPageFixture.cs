using System.Net;
using System.Security.Cryptography;
using System.Text;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Http;

/// <summary>
/// One restic and one S3 gateway with --status-page and --prometheus, shared by the browser and
/// the dashboard tests. restic runs with --vfs-cache-mode writes and a write-back delay longer
/// than the tests, so its uploads stay dirty in the cache and the cache figures are not zero.
/// Both require credentials (htpasswd, an --auth-key-file).
/// </summary>
public sealed class StatusPageFixture : IAsyncLifetime, IDisposable
{
    public const string ResticUser = "status-user";
    public const string ResticPassword = "status-pw";
    public const string AccessKey = "status-access";
    public const string SecretKey = "status-secret";

    private readonly TempDir _temp = new("status-page");

    internal GatewayServer Restic { get; private set; } = null!;

    internal GatewayServer S3 { get; private set; } = null!;

    public string ResticRoot => _temp.Sub("restic");

    public string S3Root => _temp.Sub("s3");

    public string Screenshot(string name) => _temp.Sub(name);

    public async Task InitializeAsync()
    {
        var htpasswd = _temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, ResticUser, ResticPassword);
        var keys = _temp.Sub("auth-keys");
        await File.WriteAllTextAsync(keys, $"{AccessKey},{SecretKey}\n");
        var startRestic = GatewayServer.StartAsync(
            "serve", "restic", "local:" + _temp.Dir("restic"), "--htpasswd", htpasswd, "--status-page", "--prometheus",
            "--vfs-cache-mode", "writes", "--cache-dir", _temp.Dir("cache"), "--vfs-write-back", "10m");
        var startS3 = GatewayServer.StartAsync("serve", "s3", "local:" + _temp.Dir("s3"), "--auth-key-file", keys, "--status-page", "--prometheus");
        Restic = await startRestic;
        S3 = await startS3;
    }

    public async Task DisposeAsync()
    {
        if (Restic is not null)
        {
            await Restic.DisposeAsync();
        }

        if (S3 is not null)
        {
            await S3.DisposeAsync();
        }
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>An HttpClient that sends restic's Basic credentials.</summary>
    internal HttpClient ResticClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(Restic.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ResticUser}:{ResticPassword}")));
        return http;
    }

    internal static HttpClient PlainClient(GatewayServer server) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.BaseUrl) };

    /// <summary>Uploads one random blob to REPO's data/ as restic does (the name is its SHA-256).</summary>
    internal static async Task SaveBlobAsync(HttpClient http, string repo, int size, CancellationToken cancellationToken = default)
    {
        var blob = RandomNumberGenerator.GetBytes(size);
        var name = Convert.ToHexStringLower(SHA256.HashData(blob));
        using var response = await http.PostAsync($"/{repo}/data/{name}", new ByteArrayContent(blob), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A header-signed (SigV4) S3 request with a hex payload hash, as aws-cli sends.</summary>
    internal HttpRequestMessage SignedS3(HttpMethod method, string path, byte[] body, string? secret = null)
    {
        var now = DateTimeOffset.UtcNow;
        var amzDate = SigV4Signing.AmzDate(now);
        var payloadHash = SigV4Signing.Sha256(body);
        var host = $"127.0.0.1:{S3.Port}";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        var signature = SigV4Signing.Signature(method.Method, SigV4Signing.Encode(path, encodeSlash: false), string.Empty, headers, payloadHash, amzDate, secret ?? SecretKey, "us-east-1");
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{SigV4Signing.Algorithm} Credential={AccessKey}/{SigV4Signing.Scope(amzDate, "us-east-1")}, SignedHeaders={string.Join(';', headers.Keys)}, Signature={signature}");
        return request;
    }
}
