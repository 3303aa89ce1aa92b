using System.Security.Cryptography;
using System.Text;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>
/// The servers and data the malformed-request corpus runs against, all on one temp tree:
/// <code>
/// T/secret.txt                      outside every served root
/// T/s3/root-secret.txt              at the S3 root, in no bucket (GHSA-8v25-v8p6-qf7v)
/// T/s3/bkt/obj.txt                  an object; T/s3 served twice: with SigV4 keys and --no-auth
/// T/restic/top-secret               at the restic root (GHSA-45pq-889g-fcgh)
/// T/restic/bob/repo/config          another user's repository (--private-repos, CVE-2026-59733)
/// T/restic/alice/repo/…             the caller's repository (one key file)
/// </code>
/// Every case must leave this tree exactly as it was.
/// </summary>
public sealed class MalformedRequestFixture : IAsyncLifetime, IDisposable
{
    public const string OutsideSentinel = "OUTSIDE-ROOT-SENTINEL";
    public const string S3RootSentinel = "S3-ROOT-SENTINEL";
    public const string ResticRootSentinel = "RESTIC-ROOT-SENTINEL";
    public const string BobSentinel = "BOB-CONFIG-SENTINEL";
    public const string AccessKey = "corpus-access-key";
    public const string SecretKey = "corpus/Secret+key";
    public const string AlicePassword = "alice-pw";
    public const string BobPassword = "bob-pw";

    private readonly TempDir _temp = new("malformed");

    internal GatewayServer S3Signed { get; private set; } = null!;

    internal GatewayServer S3Anonymous { get; private set; } = null!;

    internal GatewayServer Restic { get; private set; } = null!;

    public string Root => _temp.Path;

    /// <summary>The id (sha256) of the key file in alice's repository.</summary>
    public string AliceKeyId { get; private set; } = string.Empty;

    /// <summary>An open multipart upload of bkt/mp on the anonymous S3 server.</summary>
    public string UploadId { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string> Snapshot { get; private set; } = new Dictionary<string, string>();

    public static string[] Sentinels => [OutsideSentinel, S3RootSentinel, ResticRootSentinel, BobSentinel];

    public async Task InitializeAsync()
    {
        File.WriteAllText(_temp.Sub("secret.txt"), OutsideSentinel);
        var s3 = _temp.Dir("s3");
        File.WriteAllText(Path.Combine(s3, "root-secret.txt"), S3RootSentinel);
        Directory.CreateDirectory(Path.Combine(s3, "bkt"));
        File.WriteAllText(Path.Combine(s3, "bkt", "obj.txt"), "hello object");
        var restic = _temp.Dir("restic");
        File.WriteAllText(Path.Combine(restic, "top-secret"), ResticRootSentinel);
        var htpasswd = _temp.Sub("htpasswd");
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "alice", AlicePassword);
        await ApacheHtpasswd.AddBcryptAsync(htpasswd, "bob", BobPassword);

        S3Signed = await GatewayServer.StartAsync("serve", "s3", "local:" + s3, "--auth-key", $"{AccessKey},{SecretKey}");
        S3Anonymous = await GatewayServer.StartAsync("serve", "s3", "local:" + s3, "--no-auth");
        Restic = await GatewayServer.StartAsync("serve", "restic", "local:" + restic, "--htpasswd-file", htpasswd, "--private-repos");

        await MustAsync(Restic, "POST", "/bob/repo/?create=true", Basic("bob", BobPassword), []);
        await MustAsync(Restic, "POST", "/bob/repo/config", Basic("bob", BobPassword), Encoding.UTF8.GetBytes(BobSentinel));
        await MustAsync(Restic, "POST", "/alice/repo/?create=true", Basic("alice", AlicePassword), []);
        var key = Encoding.UTF8.GetBytes("alice key file");
        AliceKeyId = Convert.ToHexStringLower(SHA256.HashData(key));
        await MustAsync(Restic, "POST", $"/alice/repo/keys/{AliceKeyId}", Basic("alice", AlicePassword), key);
        var create = await MustAsync(S3Anonymous, "POST", "/bkt/mp?uploads", [], []);
        var text = create.BodyText;
        var start = text.IndexOf("<UploadId>", StringComparison.Ordinal) + "<UploadId>".Length;
        UploadId = text[start..text.IndexOf("</UploadId>", StringComparison.Ordinal)];

        Snapshot = TakeSnapshot();
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { S3Signed, S3Anonymous, Restic })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Dispose();
    }

    public void Dispose() => _temp.Dispose();

    public static KeyValuePair<string, string>[] Basic(string user, string password) =>
        [new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))];

    /// <summary>Every file under the temp tree with its size and content hash (the multipart staging area excluded: it belongs to the open upload).</summary>
    public Dictionary<string, string> TakeSnapshot()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_temp.Path, path);
            result[relative] = Directory.Exists(path) ? "dir" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }

        return result;
    }

    private static async Task<RawResponse> MustAsync(GatewayServer server, string method, string target, KeyValuePair<string, string>[] headers, byte[] body)
    {
        var response = await RawHttp.SendAsync(server.Port, RawHttp.Build(method, target, headers, body), halfCloseAfterSend: false, TimeSpan.FromSeconds(30));
        if (response.Status is not (200 or 201 or 204))
        {
            throw new InvalidOperationException($"fixture setup {method} {target} failed: {response}\n{server.Stderr}");
        }

        return response;
    }
}
