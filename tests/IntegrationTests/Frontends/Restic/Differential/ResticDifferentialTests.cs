using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Restic.Differential;

/// <summary>
/// Differential test: each scenario of <see cref="DifferentialCorpus"/> runs against the real
/// rest-server 0.14.0 and against `gateway serve restic local:`, each on a fresh directory. Status
/// codes, Content-Type, Content-Length, listing bodies and the resulting directory trees (names,
/// sizes, modes) must match, except where a step or one of the rules below says the difference is
/// intended. All differences of a scenario are reported at once.
/// </summary>
/// <remarks>
/// Intended differences that apply to every step (also in docs/restic.md):
/// <list type="bullet">
/// <item>Object and config reads (200/206 to GET, 200 to HEAD): the gateway declares
/// application/octet-stream; rest-server's http.ServeContent sniffs GET bodies (text/plain for
/// printable test data; encrypted restic data sniffs as octet-stream) and sends no type on HEAD.</item>
/// <item>Listings: the gateway streams the JSON array (chunked, no Content-Length) so a million
/// names never sit in memory; rest-server builds it and sends its length. The bodies are compared
/// as sets: both list in directory order.</item>
/// <item>An upload rest-server refuses after creating its temporary file (over --max-size) leaves
/// an empty "ID.rest-server-temp…" file behind, which its next listing even reports as an object;
/// the gateway leaves nothing. Those files are left out of rest-server's listings and tree.</item>
/// </list>
/// </remarks>
public sealed class ResticDifferentialTests
{
    private const string RestServerTemp = ".rest-server-temp";

    public static TheoryData<string> Scenarios => new(DifferentialCorpus.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_GatewayAnswersAsRestServer(string name)
    {
        var scenario = DifferentialCorpus.All.Single(s => s.Name == name);
        using var temp = new TempDir("differential-" + name);
        var referenceDir = temp.Dir("rest-server");
        var gatewayDir = temp.Dir("gateway");
        var auth = new List<string>();
        if (scenario.Users.Length == 0)
        {
            auth.Add("--no-auth");
        }
        else
        {
            var htpasswd = temp.Sub("htpasswd");
            foreach (var (user, password) in scenario.Users)
            {
                await ApacheHtpasswd.AddBcryptAsync(htpasswd, user, password);
            }

            auth.AddRange(["--htpasswd-file", htpasswd]);
        }

        string[] flags = [.. auth, .. scenario.Flags];
        List<Outcome> expected, actual;
        await using (var reference = await RestServer.StartAsync(referenceDir, flags))
        {
            expected = await RunAsync(reference.BaseUrl, scenario.Steps, RestServerTemp);
        }

        await using (var gateway = await GatewayServer.StartAsync(["serve", "restic", "local:" + gatewayDir, .. flags]))
        {
            actual = await RunAsync(gateway.BaseUrl, scenario.Steps, null);
        }

        var differences = new List<string>();
        for (var i = 0; i < scenario.Steps.Length; i++)
        {
            Compare(scenario.Steps[i], expected[i], actual[i], differences);
        }

        var referenceTree = Tree(referenceDir).Where(e => !e.Contains(RestServerTemp, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var gatewayTree = Tree(gatewayDir);
        differences.AddRange(referenceTree.Except(gatewayTree).Select(e => "tree: only rest-server has " + e));
        differences.AddRange(gatewayTree.Except(referenceTree).Select(e => "tree: only the gateway has " + e));

        Assert.True(differences.Count == 0, $"{differences.Count} difference(s) from rest-server 0.14.0 in '{name}':\n" + string.Join("\n", differences));
    }

    private static void Compare(DifferentialStep step, Outcome reference, Outcome gateway, List<string> differences)
    {
        if (step.Intended is not null)
        {
            if (gateway.Status != step.GatewayStatus)
            {
                differences.Add($"{step}: gateway {gateway.Status}, intended {step.GatewayStatus} ({step.Intended}); rest-server {reference.Status}");
            }

            return;
        }

        if (reference.Status != gateway.Status)
        {
            differences.Add($"{step}: status rest-server {reference.Status}, gateway {gateway.Status}");
            return;
        }

        var read = reference.Status is 200 or 206 && step.Method is "GET" or "HEAD";
        var listing = read && step.Path.EndsWith('/');
        if (!(read && !listing) && reference.ContentType != gateway.ContentType)
        {
            differences.Add($"{step}: Content-Type rest-server '{reference.ContentType}', gateway '{gateway.ContentType}'");
        }

        if (!listing && reference.ContentLength != gateway.ContentLength)
        {
            differences.Add($"{step}: Content-Length rest-server {reference.ContentLength}, gateway {gateway.ContentLength}");
        }

        if (listing && reference.Listing != gateway.Listing)
        {
            differences.Add($"{step}: listing rest-server {reference.Listing}, gateway {gateway.Listing}");
        }
        else if (read && !listing && reference.Body != gateway.Body)
        {
            differences.Add($"{step}: body differs (rest-server {reference.Body}, gateway {gateway.Body})");
        }
    }

    private static async Task<List<Outcome>> RunAsync(string baseUrl, DifferentialStep[] steps, string? ignoredName)
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var outcomes = new List<Outcome>();
        foreach (var step in steps)
        {
            using var request = new HttpRequestMessage(new HttpMethod(step.Method), baseUrl + step.Path);
            if (step.Body is not null)
            {
                request.Content = new ByteArrayContent(step.Body);
            }

            if (step.Range is not null)
            {
                request.Headers.TryAddWithoutValidation("Range", step.Range);
            }

            if (step.Accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", step.Accept);
            }

            if (step.User is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{step.User}:{step.Password}")));
            }

            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            outcomes.Add(new Outcome(
                (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString(),
                response.Content.Headers.ContentLength,
                Listing(response, body, ignoredName),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16] + $"/{body.Length}"));
        }

        return outcomes;
    }

    /// <summary>A JSON listing as a sorted, comparable string; null for anything else.</summary>
    private static string? Listing(HttpResponseMessage response, byte[] body, string? ignoredName)
    {
        if (response.Content.Headers.ContentType?.MediaType?.StartsWith("application/vnd.x.restic.rest", StringComparison.Ordinal) != true)
        {
            return null;
        }

        using var json = JsonDocument.Parse(body);
        return string.Join(",", json.RootElement.EnumerateArray()
            .Select(e => e.GetRawText())
            .Where(e => ignoredName is null || !e.Contains(ignoredName, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));
    }

    /// <summary>Every entry below <paramref name="root"/>: relative path, kind, size of files, permission bits.</summary>
    private static HashSet<string> Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p =>
            {
                var directory = Directory.Exists(p);
                var mode = Convert.ToString((int)File.GetUnixFileMode(p), 8);
                return $"{Path.GetRelativePath(root, p)} {(directory ? "dir" : new FileInfo(p).Length + " bytes")} mode {mode}";
            })
            .ToHashSet(StringComparer.Ordinal);

    private sealed record Outcome(int Status, string? ContentType, long? ContentLength, string? Listing, string Body);
}
