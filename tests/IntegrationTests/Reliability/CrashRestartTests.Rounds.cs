using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>
/// Issue 12, "A reliability suite of our own": rounds of ≥ 100 concurrent uploads (restic REST POSTs
/// and S3 PUTs, many S3 PUTs overwriting keys that exist or are being written at the same time) into
/// one gateway per frontend; at a random moment both are SIGKILLed and restarted over the same
/// directories. After every restart: no temp file is left, every visible object is one complete
/// version that was sent (no partial object, no phantom key), and no acknowledged upload is lost
/// (an acknowledged version is readable, or a version whose upload was still running when it was
/// acknowledged, or started later).
/// </summary>
public sealed partial class CrashRestartTests
{
    private const int Rounds = 5;
    private const int S3Workers = 60;
    private const int ResticWorkers = 60;
    private const int MinInFlightAtKill = 100;
    private const int OverwritePool = 40;
    private const string Bucket = "crash-rounds";
    private const string Repo = "repo";

    [Fact]
    public async Task SigkillDuringConcurrentUploads_Rounds_NoPartialObjectsNoLostAcksNoTempFiles()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var temp = new TempDir("crash-rounds");
        var s3Root = temp.Dir("s3");
        var resticRoot = temp.Dir("restic");
        var s3Ledger = new ConcurrentDictionary<string, ConcurrentBag<Attempt>>(StringComparer.Ordinal);
        var resticLedger = new ConcurrentDictionary<string, ConcurrentBag<Attempt>>(StringComparer.Ordinal);
        var unexpected = new ConcurrentQueue<string>();
        var inFlightAtKill = new List<int>();

        for (var round = 0; round <= Rounds; round++)
        {
            var s3 = await GatewayServer.StartAsync("serve", "s3", "local:" + s3Root, "--no-auth");
            var restic = await GatewayServer.StartAsync("serve", "restic", "local:" + resticRoot, "--no-auth");
            try
            {
                var context = $"(seed {seed}, after round {round})";
                Assert.True(TempFiles(s3Root).Count + TempFiles(resticRoot).Count == 0, $"temp files left after startup {context}: {string.Join(", ", TempFiles(s3Root).Concat(TempFiles(resticRoot)))}");
                using var s3Http = NewClient(s3.BaseUrl);
                using var resticHttp = NewClient(restic.BaseUrl);
                await VerifyS3Async(s3Http, s3Root, s3Ledger, context);
                VerifyRestic(resticRoot, resticLedger, context);
                if (round == Rounds)
                {
                    break;
                }

                if (round == 0)
                {
                    Assert.Equal(HttpStatusCode.OK, (await s3Http.PutAsync("/" + Bucket, null)).StatusCode);
                    Assert.Equal(HttpStatusCode.OK, (await resticHttp.PostAsync($"/{Repo}/?create=true", null)).StatusCode);
                }

                using var stop = new CancellationTokenSource();
                var inFlight = new StrongBox();
                var workers = new List<Task>();
                for (var w = 0; w < S3Workers; w++)
                {
                    workers.Add(S3WorkerAsync(s3Http, new Random(random.Next()), round, w, s3Ledger, inFlight, unexpected, stop.Token));
                }

                for (var w = 0; w < ResticWorkers; w++)
                {
                    workers.Add(ResticWorkerAsync(resticHttp, new Random(random.Next()), resticLedger, inFlight, unexpected, stop.Token));
                }

                // A random moment once at least 100 uploads are on the wire and each frontend has
                // acknowledged one of this round's (on a loaded machine the first acks can take
                // longer than the in-flight count does to build up; a round without acks proves nothing).
                var s3AcksBefore = Acks(s3Ledger);
                var resticAcksBefore = Acks(resticLedger);
                await WaitForAsync(() => inFlight.Value >= MinInFlightAtKill, $"{MinInFlightAtKill} uploads in flight");
                await WaitForAsync(() => Acks(s3Ledger) > s3AcksBefore && Acks(resticLedger) > resticAcksBefore, "an acknowledged upload of each frontend");
                await Task.Delay(random.Next(0, 800));
                await WaitForAsync(() => inFlight.Value >= MinInFlightAtKill, $"{MinInFlightAtKill} uploads in flight");
                inFlightAtKill.Add(inFlight.Value);
                var kill = await ProcessRunner.RunAsync("kill", ["-KILL", s3.Pid.ToString(CultureInfo.InvariantCulture), restic.Pid.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
                Assert.True(kill.Succeeded, kill.Describe());
                await WaitForAsync(() => s3.HasExited && restic.HasExited, "both gateways to die");
                await stop.CancelAsync();
                await Task.WhenAll(workers);
            }
            finally
            {
                await s3.DisposeAsync();
                await restic.DisposeAsync();
            }
        }

        Assert.True(unexpected.IsEmpty, $"answers other than 200 before the kill (seed {seed}): {string.Join("; ", unexpected.Take(10))}");
        Assert.Equal(Rounds, inFlightAtKill.Count);
        Assert.All(inFlightAtKill, n => Assert.True(n >= MinInFlightAtKill, $"only {n} uploads in flight at the kill"));
    }

    private static int Acks(ConcurrentDictionary<string, ConcurrentBag<Attempt>> ledger) => ledger.Values.Sum(a => a.Count(x => x.Acked));

    private static HttpClient NewClient(string baseUrl) =>
        new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>One S3 client: PUTs, 60% onto a small pool of keys (overwrites, also concurrent ones), the rest to new keys in new directories.</summary>
    private static async Task S3WorkerAsync(HttpClient http, Random random, int round, int worker, ConcurrentDictionary<string, ConcurrentBag<Attempt>> ledger, StrongBox inFlight, ConcurrentQueue<string> unexpected, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var pooled = random.Next(OverwritePool);
            var key = random.Next(10) < 6 ? $"pool/{pooled % 8}/k{pooled}" : $"r{round}/w{worker}/n{n}/obj";
            var body = RandomNumberGenerator.GetBytes(random.Next(1, 48 * 1024));
            await UploadAsync(http, HttpMethod.Put, $"/{Bucket}/{key}", body, Convert.ToHexStringLower(SHA256.HashData(body)), ledger.GetOrAdd(key, _ => []), random, inFlight, unexpected, stop);
        }
    }

    /// <summary>One restic client: POSTs data blobs named by their SHA-256; some are posted again (restic retries).</summary>
    private static async Task ResticWorkerAsync(HttpClient http, Random random, ConcurrentDictionary<string, ConcurrentBag<Attempt>> ledger, StrongBox inFlight, ConcurrentQueue<string> unexpected, CancellationToken stop)
    {
        var mine = new List<byte[]>();
        while (!stop.IsCancellationRequested)
        {
            var body = mine.Count > 0 && random.Next(10) < 2 ? mine[random.Next(mine.Count)] : RandomNumberGenerator.GetBytes(random.Next(1, 48 * 1024));
            mine.Add(body);
            var id = Convert.ToHexStringLower(SHA256.HashData(body));
            await UploadAsync(http, HttpMethod.Post, $"/{Repo}/data/{id}", body, id, ledger.GetOrAdd(id, _ => []), random, inFlight, unexpected, stop);
        }
    }

    private static async Task UploadAsync(HttpClient http, HttpMethod method, string path, byte[] body, string hash, ConcurrentBag<Attempt> attempts, Random random, StrongBox inFlight, ConcurrentQueue<string> unexpected, CancellationToken stop)
    {
        var attempt = new Attempt(hash, Stopwatch.GetTimestamp());
        attempts.Add(attempt);
        Interlocked.Increment(ref inFlight.Value);
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = new TricklingContent(body, random.Next(2, 6), random.Next(5, 40)) };
            using var response = await http.SendAsync(request, stop);
            attempt.End = Stopwatch.GetTimestamp();
            attempt.Acked = response.StatusCode == HttpStatusCode.OK;
            if (!attempt.Acked)
            {
                unexpected.Enqueue($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // Cut by the kill: the upload may or may not have been committed; it was not acknowledged.
        }
        finally
        {
            Interlocked.Decrement(ref inFlight.Value);
        }
    }

    /// <summary>Every visible S3 key is one complete version sent to it and not superseded; every acknowledged key is visible.</summary>
    private static async Task VerifyS3Async(HttpClient http, string root, ConcurrentDictionary<string, ConcurrentBag<Attempt>> ledger, string context)
    {
        if (ledger.IsEmpty)
        {
            return;
        }

        var visible = await ListAllAsync(http);
        foreach (var key in visible)
        {
            Assert.True(ledger.ContainsKey(key), $"listed key '{key}' was never written (a phantom) {context}");
        }

        foreach (var (key, attempts) in ledger)
        {
            var acked = attempts.Where(a => a.Acked).ToList();
            if (!visible.Contains(key))
            {
                Assert.True(acked.Count == 0, $"'{key}' was acknowledged {acked.Count} time(s) but is gone {context}");
                continue;
            }

            // The disk holds what GET returns; the overwritten pool keys are also read through the gateway.
            var content = key.StartsWith("pool/", StringComparison.Ordinal)
                ? await http.GetByteArrayAsync($"/{Bucket}/{key}")
                : await File.ReadAllBytesAsync(Path.Combine(root, Bucket, key));
            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            var candidates = attempts.Where(a => a.Hash == hash).ToList();
            Assert.True(candidates.Count > 0, $"'{key}' holds {content.Length} bytes that no upload sent (a partial object) {context}");
            Assert.True(
                candidates.Any(a => acked.All(w => a.End is not { } end || end >= w.Start)),
                $"'{key}' holds a version that an acknowledged later upload replaced (an acknowledged upload was lost) {context}");
        }
    }

    /// <summary>Every blob file in the repository holds the content its name is the hash of; every acknowledged blob is there.</summary>
    private static void VerifyRestic(string root, ConcurrentDictionary<string, ConcurrentBag<Attempt>> ledger, string context)
    {
        var data = Path.Combine(root, Repo, "data");
        var present = Directory.Exists(data)
            ? Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f)!, f => f, StringComparer.Ordinal)
            : [];
        foreach (var (name, file) in present)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
            Assert.True(hash == name, $"blob {name} holds other content ({new FileInfo(file).Length} bytes: a partial object) {context}");
            Assert.True(ledger.ContainsKey(name), $"blob {name} was never sent {context}");
        }

        foreach (var (id, attempts) in ledger)
        {
            Assert.True(present.ContainsKey(id) || !attempts.Any(a => a.Acked), $"blob {id} was acknowledged but is gone {context}");
        }
    }

    private static async Task<HashSet<string>> ListAllAsync(HttpClient http)
    {
        XNamespace s3 = "http://s3.amazonaws.com/doc/2006-03-01/";
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var url = $"/{Bucket}?list-type=2" + (token is null ? string.Empty : "&continuation-token=" + Uri.EscapeDataString(token));
            var document = XDocument.Parse(await http.GetStringAsync(url));
            foreach (var contents in document.Root!.Elements(s3 + "Contents"))
            {
                keys.Add(contents.Element(s3 + "Key")!.Value);
            }

            token = document.Root.Element(s3 + "IsTruncated")!.Value == "true" ? document.Root.Element(s3 + "NextContinuationToken")!.Value : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>One upload: the content hash, when it started, and when (and whether) it was acknowledged.</summary>
    private sealed class Attempt(string hash, long start)
    {
        public string Hash { get; } = hash;

        public long Start { get; } = start;

        /// <summary>When the answer arrived; null while in flight or when the kill cut it.</summary>
        public long? End { get; set; }

        public bool Acked { get; set; }
    }

    private sealed class StrongBox
    {
#pragma warning disable SA1401, CA1051 // a counter for Interlocked
        public int Value;
#pragma warning restore SA1401, CA1051
    }

    /// <summary>A body sent in a few pieces with pauses, so that uploads are on the wire long enough to be cut.</summary>
    private sealed class TricklingContent(byte[] body, int pieces, int pauseMs) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var size = (body.Length + pieces - 1) / pieces;
            for (var offset = 0; offset < body.Length; offset += size)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(size, body.Length - offset)), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(pauseMs, cancellationToken);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
