using System.Globalization;
using System.Text;
using System.Xml.Linq;
using VfsGateway.Backends.Local;
using VfsGateway.Frontends.S3;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Frontends.S3;

/// <summary>
/// ListObjects (V1) and ListObjectsV2 against a reference model of AWS's algorithm, for every
/// combination of prefix, delimiter, start (marker / start-after), max-keys and encoding-type, each
/// listing paged to its end, on the memory and the local backend. The model, from the S3 API
/// reference (ListObjectsV2, ListObjects, "Listing object keys programmatically"):
/// keys in UTF-8 binary order; only keys that begin with Prefix and sort after the marker; with a
/// delimiter, a key whose remainder after Prefix contains it rolls up into one CommonPrefix (Prefix
/// through the first occurrence), counted once toward MaxKeys and skipped when it sorts at or before
/// the marker (it was returned on an earlier page); IsTruncated when more entries follow; V1 gives
/// NextMarker (the last entry) only with a delimiter; max-keys 0 returns nothing and is not
/// truncated; above 1000 it is 1000. encoding-type=url URL-encodes Key, Prefix, Delimiter,
/// CommonPrefixes, Marker, NextMarker and StartAfter; without it values come back as they are.
/// </summary>
public sealed class S3ListModelTests
{
    /// <summary>Keys a file system can hold side by side (no "a" next to "a/b"); "b/" and "f/g/" are empty-folder markers.</summary>
    private static readonly string[] Keys =
    [
        "a", "a b", "a+b", "a.txt", "a-b/c", "ab/c/d", "ab/c/e", "ab/cd", "ab/x", "b/", "b0", "c/d/e/f", "c/d/g",
        "c/dd", "c/h", "d\n", "d\rx", "e%41", "f/g/", "z&<>", "\u00e9", "\u65e5\u672c/\u8a9e", "\uFF21", "\U0001F600",
    ];

    private static readonly string[] Prefixes = ["", "a", "ab/", "ab/c", "c/", "c/d/", "nomatch", "\u65e5", "b/", "f/"];

    private static readonly string?[] Delimiters = [null, "/", "b", "/c", "/d/", "never", "d"];

    private static readonly int[] MaxKeys = [0, 1, 3, 1000];

    private static readonly string?[] Starts = [null, "ab/c/", "c/d/e/f", "zzz"];

    [Theory]
    [InlineData("memory")]
    [InlineData("local")]
    public async Task ListObjects_EveryCombination_MatchesAwsModel(string backend)
    {
        await using var host = await HostAsync(backend);
        var sorted = Keys.OrderBy(k => k, Utf8Order.Instance).ToArray();
        var failures = new List<string>();
        var n = 0;
        foreach (var v2 in new[] { false, true })
        {
            foreach (var prefix in Prefixes)
            {
                foreach (var delimiter in Delimiters)
                {
                    foreach (var maxKeys in MaxKeys)
                    {
                        foreach (var start in Starts)
                        {
                            var encode = n++ % 2 == 0;
                            var problem = await CheckListingAsync(host, sorted, v2, prefix, delimiter, maxKeys, start, encode);
                            if (problem is not null)
                            {
                                failures.Add($"v{(v2 ? 2 : 1)} prefix='{prefix}' delimiter='{delimiter}' max-keys={maxKeys} start='{start}' url={encode}: {problem}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {n} listings differ from the model:\n" + string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task ListObjects_MoreThan1000Keys_PagesOf1000()
    {
        await using var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true });
        for (var i = 0; i < 1003; i++)
        {
            await host.Vfs.PutAsync(VfsPath.Parse($"bucket/k{i:D4}"), new MemoryStream([]), PutOptions.Default, CancellationToken.None);
        }

        var first = await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&max-keys=5000");
        var page = Parse(first.Body);
        var second = Parse((await S3RawClient.SendAsync(host, "GET", "/bucket?list-type=2&continuation-token=" + Uri.EscapeDataString(page.Next!))).Body);
        var v1 = Parse((await S3RawClient.SendAsync(host, "GET", "/bucket")).Body);

        Assert.Equal(1000, page.Keys.Count);
        Assert.True(page.Truncated);
        Assert.Equal(["k1000", "k1001", "k1002"], second.Keys);
        Assert.False(second.Truncated);
        Assert.Equal(1000, v1.Keys.Count);
        Assert.True(v1.Truncated);
        Assert.Null(v1.NextMarker);
    }

    /// <summary>Pages through one listing as a client does, comparing each page with the model; returns the first difference.</summary>
    private static async Task<string?> CheckListingAsync(S3TestHost host, string[] sorted, bool v2, string prefix, string? delimiter, int maxKeys, string? start, bool encode)
    {
        var after = start;
        string? token = null;
        for (var pageNumber = 0; pageNumber < 100; pageNumber++)
        {
            var query = new List<(string, string)>();
            if (v2)
            {
                query.Add(("list-type", "2"));
            }

            query.Add(("prefix", prefix));
            if (delimiter is not null)
            {
                query.Add(("delimiter", delimiter));
            }

            query.Add(("max-keys", maxKeys.ToString(CultureInfo.InvariantCulture)));
            if (encode)
            {
                query.Add(("encoding-type", "url"));
            }

            if (v2 && token is not null)
            {
                query.Add(("continuation-token", token));
            }
            else if (after is not null)
            {
                query.Add((v2 ? "start-after" : "marker", after));
            }

            var target = "/bucket?" + string.Join('&', query.Select(q => q.Item1 + "=" + Uri.EscapeDataString(q.Item2)));
            var response = await S3RawClient.SendAsync(host, "GET", target);
            if (response.Status != 200)
            {
                return $"page {pageNumber}: HTTP {response.Status} {response.Body}";
            }

            var got = Parse(response.Body);
            var expected = Model(sorted, prefix, delimiter, after, maxKeys);
            var decode = encode ? (Func<string?, string?>)(s => s is null ? null : Uri.UnescapeDataString(s.Replace('+', ' '))) : s => s;
            var problem =
                !got.Keys.Select(decode).SequenceEqual(expected.Keys) ? $"keys [{Show(got.Keys.Select(decode))}] != [{Show(expected.Keys)}]" :
                !got.Prefixes.Select(decode).SequenceEqual(expected.Prefixes) ? $"prefixes [{Show(got.Prefixes.Select(decode))}] != [{Show(expected.Prefixes)}]" :
                got.Truncated != expected.Truncated ? $"IsTruncated {got.Truncated}" :
                decode(got.Prefix) != prefix ? $"Prefix echo '{got.Prefix}'" :
                decode(got.Delimiter) != delimiter ? $"Delimiter echo '{got.Delimiter}'" :
                v2 && got.KeyCount != expected.Keys.Count + expected.Prefixes.Count ? $"KeyCount {got.KeyCount}" :
                v2 && got.Truncated != (got.Next is not null) ? "NextContinuationToken without IsTruncated or the reverse" :
                !v2 && decode(got.NextMarker) != (expected.Truncated && delimiter is not null ? expected.Last : null) ? $"NextMarker '{got.NextMarker}'" :
                !v2 && decode(got.Marker) != (after ?? string.Empty) ? $"Marker echo '{got.Marker}'" :
                v2 && token is null && decode(got.StartAfter) != after ? $"StartAfter echo '{got.StartAfter}'" :
                encode && !IsUrlSafe(got) ? "a value is not URL-encoded" :
                null;
            if (problem is not null)
            {
                return $"page {pageNumber}: {problem}";
            }

            if (!expected.Truncated)
            {
                return null;
            }

            token = got.Next;
            after = expected.Last;
        }

        return "more than 100 pages";
    }

    private static bool IsUrlSafe(Page page) =>
        page.RawValues.All(v => v.All(ch => ch < 0x80 && !char.IsControl(ch) && ch is not (' ' or '<' or '>' or '&' or '+')));

    private static string Show(IEnumerable<string?> values) => string.Join(", ", values.Select(v => v?.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)));

    /// <summary>AWS's listing algorithm over the sorted key set (see the class comment).</summary>
    private static (List<string> Keys, List<string> Prefixes, bool Truncated, string? Last) Model(string[] sorted, string prefix, string? delimiter, string? after, int maxKeys)
    {
        var keys = new List<string>();
        var prefixes = new List<string>();
        var count = 0;
        string? last = null;
        var truncated = false;
        maxKeys = Math.Min(maxKeys, 1000);
        foreach (var key in sorted)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || (after is not null && Utf8Order.CompareKeys(key, after) <= 0))
            {
                continue;
            }

            var at = string.IsNullOrEmpty(delimiter) ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var entry = at < 0 ? key : key[..(at + delimiter!.Length)];
            if (at >= 0 && ((after is not null && Utf8Order.CompareKeys(entry, after) <= 0) || entry == last))
            {
                continue;
            }

            if (maxKeys == 0)
            {
                break;
            }

            if (count == maxKeys)
            {
                truncated = true;
                break;
            }

            (at < 0 ? keys : prefixes).Add(entry);
            last = entry;
            count++;
        }

        return (keys, prefixes, truncated, last);
    }

    private sealed record Page(List<string> Keys, List<string> Prefixes, bool Truncated, int KeyCount, string? Prefix, string? Delimiter, string? Marker, string? NextMarker, string? StartAfter, string? Next, List<string> RawValues);

    private static Page Parse(string xml)
    {
        var root = XDocument.Parse(xml, LoadOptions.PreserveWhitespace).Root!;
        string? One(string name) => root.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var keys = root.Elements().Where(e => e.Name.LocalName == "Contents").Select(c => c.Elements().First(e => e.Name.LocalName == "Key").Value).ToList();
        var prefixes = root.Elements().Where(e => e.Name.LocalName == "CommonPrefixes").Select(c => c.Elements().First(e => e.Name.LocalName == "Prefix").Value).ToList();
        var echoes = new[] { One("Prefix"), One("Delimiter"), One("Marker"), One("NextMarker"), One("StartAfter") }.OfType<string>();
        return new Page(
            keys, prefixes, One("IsTruncated") == "true", int.Parse(One("KeyCount") ?? "0", CultureInfo.InvariantCulture),
            One("Prefix"), One("Delimiter"), One("Marker"), One("NextMarker"), One("StartAfter"), One("NextContinuationToken"),
            [.. keys, .. prefixes, .. echoes]);
    }

    private static async Task<S3TestHost> HostAsync(string backend)
    {
        var cacheDir = Path.Combine(Path.GetTempPath(), "s3list-" + Guid.NewGuid().ToString("N"));
        IBackend? shared = null;
        if (backend == "local")
        {
            Directory.CreateDirectory(Path.Combine(cacheDir, "data"));
            shared = new LocalBackend(new LocalOptions(Path.Combine(cacheDir, "data")));
        }

        var host = await S3TestHost.StartAsync(new S3Options { NoAuth = true, CacheDir = cacheDir }, shared: shared);
        await S3RawClient.SendAsync(host, "PUT", "/bucket");
        foreach (var key in Keys)
        {
            var put = await S3RawClient.SendAsync(host, "PUT", "/bucket/" + Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal), key.EndsWith('/') ? [] : Encoding.UTF8.GetBytes(key));
            Assert.True(put.Status == 200, $"PUT {key}: {put.Status} {put.Body}");
        }

        return host;
    }
}
