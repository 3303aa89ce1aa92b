namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>
/// Issue 12's bad-input corpus against running gateways (both frontends): every hostile request gets its
/// expected 4xx, never a 5xx, never a hang, no file outside a root is read or written, no partial object
/// becomes visible, and the served trees stay exactly as they were.
/// </summary>
public sealed class MalformedRequestTests(MalformedRequestFixture fixture) : IClassFixture<MalformedRequestFixture>
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public void Corpus_HasAtLeast250Cases_AndTheNamedAdvisories()
    {
        var names = MalformedRequestCorpus.Cases.Keys.ToList();
        Assert.True(names.Count >= 250, $"only {names.Count} cases");
        Assert.Contains(names, n => n.StartsWith("CVE-2026-59733", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("GHSA-45pq-889g-fcgh", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("GHSA-8v25-v8p6-qf7v", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task HostileRequest_GetsItsExpected4xx_AndChangesNothing(string name)
    {
        var c = MalformedRequestCorpus.Cases[name];
        var server = c.Target switch
        {
            CorpusTarget.S3Signed => fixture.S3Signed,
            CorpusTarget.S3Anonymous => fixture.S3Anonymous,
            _ => fixture.Restic,
        };

        var response = await RawHttp.SendAsync(server.Port, c.Build(fixture, server.Port), c.HalfClose, AnswerTimeout);

        Assert.False(response.TimedOut, $"{name}: no answer within {AnswerTimeout.TotalSeconds} s");
        if (response.Status is null)
        {
            Assert.True(c.MayCloseWithoutAnswer, $"{name}: the connection closed without an answer");
        }
        else
        {
            Assert.True(c.Expected.Contains(response.Status.Value), $"{name}: expected {string.Join('/', c.Expected)}, got {response}");
        }

        foreach (var sentinel in MalformedRequestFixture.Sentinels)
        {
            Assert.DoesNotContain(sentinel, response.BodyText, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(".partial", response.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response.BodyText, StringComparison.Ordinal);
        await AssertTreeUnchangedAsync(name);
        Assert.False(server.HasExited, $"{name}: the gateway exited\n{server.Stderr}");
    }

    public static IEnumerable<object[]> Names() => MalformedRequestCorpus.Names();

    /// <summary>The whole temp tree is as the fixture left it (an aborted upload may take a moment to remove its temp file).</summary>
    private async Task AssertTreeUnchangedAsync(string name)
    {
        Dictionary<string, string> now = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            now = fixture.TakeSnapshot();
            if (Same(now))
            {
                return;
            }

            await Task.Delay(100);
        }

        var added = now.Keys.Except(fixture.Snapshot.Keys).ToList();
        var removed = fixture.Snapshot.Keys.Except(now.Keys).ToList();
        var changed = now.Keys.Intersect(fixture.Snapshot.Keys).Where(k => now[k] != fixture.Snapshot[k]).ToList();
        Assert.Fail($"{name} changed the served trees: added [{string.Join(", ", added)}], removed [{string.Join(", ", removed)}], changed [{string.Join(", ", changed)}]");
    }

    private bool Same(Dictionary<string, string> now) =>
        now.Count == fixture.Snapshot.Count && now.All(kv => fixture.Snapshot.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
