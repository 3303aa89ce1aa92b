using System.Security.Cryptography;

namespace VfsGateway.IntegrationTests.Frontends.Restic.Differential;

/// <summary>
/// The request sequences of the differential test: every route and method, good and bad names,
/// missing repositories, ranges, authentication, append-only, private repositories and --max-size.
/// </summary>
internal static class DifferentialCorpus
{
    // Intended differences (each is a row of docs/restic.md's "Differences from rest-server").
    public const string IdenticalReupload =
        "an identical re-upload of an existing object answers 200 (rest-server: 403, its issue #196, which fails a retried restic upload)";

    public const string InvalidRangeIgnored =
        "a malformed Range header is ignored and the whole object sent (RFC 9110 §14.2; rest-server answers 416)";

    public const string MultiRangeWhole =
        "a multi-range request gets the whole object (rest-server sends multipart/byteranges; restic only asks for one range)";

    public const string QuotaMessage =
        "a 507 names the limit in its text and reason phrase (rest-server: \"Insufficient Storage\"), so restic's error says which quota is full";

    private const string V2 = "application/vnd.x.restic.rest.v2";
    private const string Zero = "0000000000000000000000000000000000000000000000000000000000000000";

    public static IEnumerable<DifferentialScenario> All =>
    [
        Routes(),
        AppendOnly(),
        Auth(),
        PrivateRepos(),
        Quota(),
        GroupAccessible(),
        ProxyAuth(),
    ];

    /// <summary>An object whose name is the SHA-256 of its content, as restic stores them.</summary>
    public static (string Id, byte[] Bytes) Blob(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
    }

    private static DifferentialScenario Routes()
    {
        var (a, abytes) = Blob(1, 3000);
        var (k, kbytes) = Blob(2, 500);
        var (l, lbytes) = Blob(3, 0);
        var (s, sbytes) = Blob(4, 77);
        return new DifferentialScenario("routes", [], [],
        [
            // Nothing exists yet.
            new("GET", "/config"),
            new("HEAD", "/config"),
            new("GET", "/data/"),
            new("GET", "/r1/keys/"),
            new("GET", "/r1/data/", Accept: V2),
            new("HEAD", "/r1/config"),
            new("GET", $"/r1/data/{a}"),
            new("DELETE", $"/r1/data/{a}"),

            // Creating repositories: only with ?create=true, idempotent, at most two levels deep.
            new("POST", "/r1/"),
            new("POST", "/r1/?create=false"),
            new("POST", "/r1/?create=true"),
            new("POST", "/r1/?create=true"),
            new("POST", "/a/b/?create=true"),
            new("POST", "/a/b/c/?create=true"),
            new("POST", "/?create=true"),
            new("GET", "/r1/data/"),
            new("GET", "/r1/data/", Accept: V2),
            new("GET", "/r1/snapshots/", Accept: V2),
            new("GET", "/a/b/keys/"),
            new("GET", "/keys/"),

            // config: written once, then read, sized, deleted.
            new("POST", "/r1/config", Body: "config-1"u8.ToArray()),
            new("POST", "/r1/config", Body: "config-2"u8.ToArray()),
            new("HEAD", "/r1/config"),
            new("GET", "/r1/config"),
            new("GET", "/r1/config", Range: "bytes=2-4"),

            // Objects: good and bad names, verified content, every type.
            new("POST", $"/r1/data/{a}", Body: abytes),
            new("POST", $"/r1/data/{a}", Body: abytes, Intended: IdenticalReupload, GatewayStatus: 200),
            new("POST", $"/r1/data/{Zero}", Body: abytes),
            new("POST", "/r1/data/xyz", Body: abytes),
            new("POST", $"/r1/data/{a.ToUpperInvariant()}", Body: abytes),
            new("POST", $"/r1/data/{a[..63]}", Body: abytes),
            new("POST", $"/r1/keys/{k}", Body: kbytes),
            new("POST", $"/r1/locks/{l}", Body: lbytes),
            new("POST", $"/r1/snapshots/{s}", Body: sbytes),
            new("POST", $"/r1/index/{s}", Body: sbytes),
            new("POST", $"/a/b/data/{a}", Body: abytes),
            new("POST", $"/r1/config/{a}", Body: abytes),
            new("POST", $"/r1/other/{a}", Body: abytes),
            new("GET", "/r1/data/", Accept: V2),
            new("GET", "/r1/keys/"),
            new("GET", "/r1/locks/", Accept: V2),
            new("GET", "/r1/index/", Accept: V2),
            new("GET", "/a/b/data/", Accept: V2),

            // Reads and ranges.
            new("HEAD", $"/r1/data/{a}"),
            new("GET", $"/r1/data/{a}"),
            new("GET", $"/r1/data/{a}", Range: "bytes=0-0"),
            new("GET", $"/r1/data/{a}", Range: "bytes=100-"),
            new("GET", $"/r1/data/{a}", Range: "bytes=-10"),
            new("GET", $"/r1/data/{a}", Range: "bytes=2990-5000"),
            new("GET", $"/r1/data/{a}", Range: "bytes=3000-"),
            new("GET", $"/r1/data/{a}", Range: "bytes=x-y", Intended: InvalidRangeIgnored, GatewayStatus: 200),
            new("GET", $"/r1/data/{a}", Range: "bytes=0-1,5-6", Intended: MultiRangeWhole, GatewayStatus: 200),
            new("GET", $"/r1/locks/{l}"),
            new("HEAD", $"/r1/locks/{l}"),
            new("GET", $"/r1/data/{Zero}"),
            new("HEAD", $"/r1/data/{Zero}"),
            new("GET", $"/r1/data/{a}/x"),
            new("GET", "/r1/data"),
            new("GET", "/r1"),
            new("GET", "/r1/foo/"),
            new("GET", "/r1/a/b/c/"),

            // Methods a route does not have.
            new("PUT", $"/r1/data/{a}", Body: abytes),
            new("PATCH", "/r1/data/"),
            new("DELETE", "/r1/data/"),
            new("PUT", "/r1/config", Body: "x"u8.ToArray()),
            new("GET", "/"),
            new("DELETE", "/r1/"),

            // Deletes: idempotent.
            new("DELETE", $"/r1/keys/{k}"),
            new("DELETE", $"/r1/keys/{k}"),
            new("DELETE", $"/r1/locks/{l}"),
            new("DELETE", $"/r1/snapshots/{s}"),
            new("DELETE", $"/r1/index/{s}"),
            new("GET", "/r1/keys/"),
            new("DELETE", "/r1/config"),
            new("GET", "/r1/config"),
            new("DELETE", $"/nothere/data/{a}"),
        ]);
    }

    private static DifferentialScenario AppendOnly()
    {
        var (a, abytes) = Blob(11, 2000);
        var (b, bbytes) = Blob(12, 10);
        var (l, lbytes) = Blob(13, 40);
        return new DifferentialScenario("append-only", ["--append-only"], [],
        [
            new("POST", "/r/?create=true"),
            new("POST", "/r/config", Body: "cfg"u8.ToArray()),
            new("POST", "/r/config", Body: "cfg"u8.ToArray()),
            new("DELETE", "/r/config"),
            new("POST", $"/r/data/{a}", Body: abytes),
            new("POST", $"/r/data/{a}", Body: abytes, Intended: IdenticalReupload, GatewayStatus: 200),
            new("POST", $"/r/data/{a}", Body: bbytes),
            new("POST", $"/r/snapshots/{b}", Body: bbytes),
            new("DELETE", $"/r/data/{a}"),
            new("DELETE", $"/r/snapshots/{b}"),
            new("DELETE", $"/r/keys/{b}"),
            new("POST", $"/r/locks/{l}", Body: lbytes),
            new("GET", "/r/locks/"),
            new("DELETE", $"/r/locks/{l}"),
            new("GET", "/r/locks/"),
            new("GET", "/r/data/", Accept: V2),
            new("GET", "/r/snapshots/", Accept: V2),
            new("GET", $"/r/data/{a}", Range: "bytes=10-19"),
        ]);
    }

    private static DifferentialScenario Auth()
    {
        var (a, abytes) = Blob(21, 100);
        return new DifferentialScenario("auth", [], [("alice", "wonder land"), ("bob", "b0b")],
        [
            new("POST", "/r/?create=true"),
            new("POST", "/r/?create=true", User: "alice", Password: "wrong"),
            new("POST", "/r/?create=true", User: "mallory", Password: "wonder land"),
            new("POST", "/r/?create=true", User: "alice", Password: ""),
            new("POST", "/r/?create=true", User: "alice", Password: "wonder land"),
            new("GET", "/r/keys/"),
            new("GET", "/r/keys/", User: "bob", Password: "b0b"),
            new("POST", $"/r/data/{a}", Body: abytes, User: "bob", Password: "b0b"),
            new("POST", $"/r/data/{a}", Body: abytes, User: "bob", Password: "nope"),
            new("HEAD", $"/r/data/{a}", User: "alice", Password: "wonder land"),
            new("HEAD", $"/r/data/{a}"),
            new("GET", $"/r/data/{a}", User: "alice", Password: "wonder land"),
            new("DELETE", $"/r/data/{a}", User: "alice", Password: "x"),
            new("DELETE", $"/r/data/{a}", User: "alice", Password: "wonder land"),
            new("GET", "/r/data/", User: "bob", Password: "b0b"),
        ]);
    }

    private static DifferentialScenario PrivateRepos()
    {
        var (a, abytes) = Blob(31, 64);
        return new DifferentialScenario("private-repos", ["--private-repos"], [("alice", "pw-a"), ("bob", "pw-b")],
        [
            new("POST", "/alice/?create=true", User: "alice", Password: "pw-a"),
            new("POST", "/alice/laptop/?create=true", User: "alice", Password: "pw-a"),
            new("POST", "/bob/?create=true", User: "alice", Password: "pw-a"),
            new("POST", "/bob/?create=true", User: "bob", Password: "pw-b"),
            new("POST", "/?create=true", User: "alice", Password: "pw-a"),
            new("POST", "/alicex/?create=true", User: "alice", Password: "pw-a"),
            new("POST", $"/alice/data/{a}", Body: abytes, User: "alice", Password: "pw-a"),
            new("POST", $"/alice/laptop/keys/{a}", Body: abytes, User: "alice", Password: "pw-a"),
            new("GET", "/alice/data/", User: "bob", Password: "pw-b"),
            new("GET", $"/alice/data/{a}", User: "bob", Password: "pw-b"),
            new("HEAD", $"/alice/data/{a}", User: "bob", Password: "pw-b"),
            new("DELETE", $"/alice/data/{a}", User: "bob", Password: "pw-b"),
            new("POST", $"/bob/data/{a}", Body: abytes, User: "alice", Password: "pw-a"),
            new("GET", "/alice/data/", User: "alice", Password: "pw-a"),
            new("GET", "/alice/laptop/keys/", User: "alice", Password: "pw-a"),
            new("GET", "/bob/keys/", User: "bob", Password: "pw-b"),
            new("GET", "/keys/", User: "bob", Password: "pw-b"),
        ]);
    }

    private static DifferentialScenario Quota()
    {
        // rest-server counts the sizes of the directories in its tally too (4 KiB each here), so
        // the steps keep well clear of the limit's edge.
        var (a, abytes) = Blob(41, 30_000);
        var (b, bbytes) = Blob(42, 30_000);
        var (c, cbytes) = Blob(43, 60_000);
        var (d, dbytes) = Blob(44, 200_000);
        var (e, ebytes) = Blob(45, 100_000);
        var (f, fbytes) = Blob(46, 20_000);
        return new DifferentialScenario("quota", ["--max-size", "150000"], [],
        [
            new("POST", "/?create=true"),
            new("POST", $"/data/{a}", Body: abytes),
            new("POST", $"/data/{b}", Body: bbytes),
            new("POST", $"/data/{d}", Body: dbytes, Intended: QuotaMessage, GatewayStatus: 507),
            new("POST", $"/data/{c}", Body: cbytes),
            new("GET", "/data/", Accept: V2),
            new("DELETE", $"/data/{a}"),
            new("DELETE", $"/data/{b}"),
            new("POST", $"/data/{e}", Body: ebytes, Intended: QuotaMessage, GatewayStatus: 507),
            new("POST", $"/data/{f}", Body: fbytes),
            new("GET", "/data/", Accept: V2),
        ]);
    }

    private static DifferentialScenario GroupAccessible()
    {
        var (a, abytes) = Blob(51, 99);
        return new DifferentialScenario("group-accessible", ["--group-accessible-repos"], [],
        [
            new("POST", "/g/?create=true"),
            new("POST", "/g/config", Body: "c"u8.ToArray()),
            new("POST", $"/g/data/{a}", Body: abytes),
            new("POST", $"/g/keys/{a}", Body: abytes),
        ]);
    }

    /// <summary>
    /// --proxy-auth-username from an address the gateway trusts (127.0.0.1): as rest-server. That
    /// the gateway ignores the header from other addresses is ServeResticProxyAuthTests' job.
    /// </summary>
    private static DifferentialScenario ProxyAuth()
    {
        var (a, abytes) = Blob(61, 128);
        (string, string) alice = ("X-Forwarded-User", "alice"), bob = ("X-Forwarded-User", "bob");
        return new DifferentialScenario("proxy-auth", ["--proxy-auth-username", "X-Forwarded-User", "--private-repos"], [],
        [
            new("POST", "/alice/?create=true"),
            new("POST", "/alice/?create=true", Header: ("X-Forwarded-User", string.Empty)),
            new("POST", "/alice/?create=true", User: "alice", Password: "x"),
            new("POST", "/alice/?create=true", Header: alice),
            new("POST", "/bob/?create=true", Header: alice),
            new("POST", $"/alice/data/{a}", Body: abytes, Header: alice),
            new("GET", "/alice/data/", Header: bob),
            new("GET", "/alice/data/", Accept: V2, Header: alice),
            new("HEAD", $"/alice/data/{a}", Header: alice),
        ])
        {
            NoAuth = false,
            GatewayOnlyFlags = ["--trusted-proxy", "127.0.0.1/32"],
        };
    }
}
