using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Http;

/// <summary>
/// examples/grafana-dashboard.json against real scrapes of both frontends after traffic that
/// gives every labelled family a series: every metric its PromQL names is exported, every
/// gateway_/rest_server_/s3_ family exported has a panel, and every expression is valid PromQL
/// (promtool checks them as recording rules, with the dashboard's variables filled in).
/// </summary>
public sealed partial class GrafanaDashboardTests(StatusPageFixture fixture) : IClassFixture<StatusPageFixture>
{
    private const string DashboardPath = "examples/grafana-dashboard.json";

    // PromQL words that look like metric names but are not.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN" };

    [Fact]
    public async Task Dashboard_AgainstScrapesOfBothFrontends_ReferencesOnlyExportedMetricsAndCoversOurs()
    {
        var expressions = Expressions(JsonDocument.Parse(await File.ReadAllTextAsync(DashboardFile())).RootElement).ToList();
        Assert.NotEmpty(expressions);
        var exported = await ScrapeAfterTrafficAsync();

        var referenced = expressions.SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        var missing = referenced.Where(name => !exported.Contains(name)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{DashboardPath} uses metrics that no scrape exports: {string.Join(", ", missing)}");

        // Our own families (a histogram counts as referenced through any of its series).
        var ours = exported.Where(n => n.StartsWith("gateway_", StringComparison.Ordinal) || n.StartsWith("rest_server_", StringComparison.Ordinal) || n.StartsWith("s3_", StringComparison.Ordinal))
            .Select(Family).ToHashSet(StringComparer.Ordinal);
        var uncovered = ours.Where(f => !referenced.Select(Family).Contains(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(uncovered.Count == 0, $"{DashboardPath} has no panel for: {string.Join(", ", uncovered)}");

        await AssertValidPromQlAsync(expressions);
    }

    /// <summary>Both frontends' /metrics after reads, writes, deletes, a snapshot and an S3 error: the names of every series.</summary>
    private async Task<HashSet<string>> ScrapeAfterTrafficAsync()
    {
        using var restic = fixture.ResticClient();
        (await restic.PostAsync("/dash/?create=true", null)).EnsureSuccessStatusCode();
        var blob = RandomNumberGenerator.GetBytes(2048);
        var name = Convert.ToHexStringLower(SHA256.HashData(blob));
        (await restic.PostAsync($"/dash/data/{name}", new ByteArrayContent(blob))).EnsureSuccessStatusCode();
        (await restic.GetAsync($"/dash/data/{name}")).EnsureSuccessStatusCode();
        (await restic.PostAsync($"/dash/snapshots/{name}", new ByteArrayContent(blob))).EnsureSuccessStatusCode();
        (await restic.DeleteAsync($"/dash/snapshots/{name}")).EnsureSuccessStatusCode();
        var resticText = await restic.GetStringAsync("/metrics");

        using var s3 = StatusPageFixture.PlainClient(fixture.S3);
        (await s3.SendAsync(fixture.SignedS3(HttpMethod.Put, "/dash", []))).EnsureSuccessStatusCode();
        (await s3.SendAsync(fixture.SignedS3(HttpMethod.Put, "/dash/key", new byte[100]))).EnsureSuccessStatusCode();
        (await s3.SendAsync(fixture.SignedS3(HttpMethod.Get, "/dash/key", []))).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await s3.SendAsync(fixture.SignedS3(HttpMethod.Get, "/dash/missing", []))).StatusCode);
        s3.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{StatusPageFixture.AccessKey}:{StatusPageFixture.SecretKey}")));
        var s3Text = await s3.GetStringAsync("/_gateway/metrics");

        return (resticText + "\n" + s3Text).Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SeriesName().Match(line).Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every "expr" of a panel target and every query of a query variable.</summary>
    private static IEnumerable<string> Expressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                {
                    yield return property.Value.GetString()!;
                }
                else if (property.Name == "templating")
                {
                    foreach (var variable in property.Value.GetProperty("list").EnumerateArray())
                    {
                        if (variable.GetProperty("type").GetString() == "query")
                        {
                            var query = variable.GetProperty("query");
                            yield return LabelValuesMetric().Replace(query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!, "$1");
                        }
                    }
                }
                else
                {
                    foreach (var inner in Expressions(property.Value))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var inner in element.EnumerateArray().SelectMany(Expressions))
            {
                yield return inner;
            }
        }
    }

    /// <summary>The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or variables.</summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var e = StringLiteral().Replace(expression, "\"\"");
        e = Matchers().Replace(e, string.Empty);
        e = Ranges().Replace(e, string.Empty);
        e = Grouping().Replace(e, string.Empty);
        e = Variable().Replace(e, string.Empty);
        foreach (Match m in Identifier().Matches(e))
        {
            var rest = e.AsSpan(m.Index + m.Length).TrimStart();
            if (!Keywords.Contains(m.Value) && !(rest.Length > 0 && rest[0] == '('))
            {
                yield return m.Value;
            }
        }
    }

    /// <summary>promtool parses each expression as a recording rule; Grafana's variables become what "All" means.</summary>
    private static async Task AssertValidPromQlAsync(List<string> expressions)
    {
        var promtool = Tool.Require("promtool");
        using var temp = new TempDir("dashboard-rules");
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            var expr = expressions[i].Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$__range", "1h", StringComparison.Ordinal);
            expr = Variable().Replace(expr, ".*");
            rules.Append("      - record: dashboard:expr").Append(i).Append("\n        expr: ").Append(JsonSerializer.Serialize(expr)).Append('\n');
        }

        var file = temp.Sub("rules.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        var result = await ProcessRunner.RunAsync(promtool, ["check", "rules", file], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Succeeded, result.Describe() + "\n" + rules);
    }

    private static string Family(string name)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.StartsWith("gateway_request_duration_seconds", StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static string DashboardFile() =>
        Path.Combine(GatewayBinary.RepositoryRoot() ?? throw new InvalidOperationException("VfsGateway.sln not found above " + AppContext.BaseDirectory), DashboardPath);

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"label_values\(\s*([^,()]+(?:\{[^}]*\})?)\s*,\s*\w+\s*\)")]
    private static partial Regex LabelValuesMetric();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
