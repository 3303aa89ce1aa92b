using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Issue 12's protocol gaps through the real gateway process (local backend): error answers to
/// requests with a body on a keep-alive connection (raw socket, Kestrel's behaviour), and listings,
/// CreateBucket, Content-Encoding through boto3's paginators and aws-cli v2.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes through IAsyncLifetime.DisposeAsync")]
public sealed class S3ProtocolGapClientTests : IAsyncLifetime
{
    private readonly TempDir _temp = new("s3-gaps");
    private S3Gateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await S3Gateway.StartAsync(_temp.Sub("data"));
        Directory.CreateDirectory(Path.Combine(_gateway.DataDir, "bkt"));
        await File.WriteAllTextAsync(Path.Combine(_gateway.DataDir, "bkt", "exists"), "x");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("412", false)]
    [InlineData("412", true)]
    [InlineData("badchecksum", false)]
    [InlineData("badchecksum", true)]
    [InlineData("403", false)]
    [InlineData("403", true)]
    public async Task PutObject_EarlyErrorOnKeepAlive_NextRequestAnsweredOrConnectionClosed(string error, bool expectContinue)
    {
        var body = new byte[64 * 1024];
        var extra = new List<KeyValuePair<string, string>>();
        switch (error)
        {
            case "412":
                extra.Add(new("If-None-Match", "*"));
                break;
            case "badchecksum":
                extra.Add(new("x-amz-checksum-crc32", "not-a-checksum"));
                break;
        }

        if (expectContinue)
        {
            extra.Add(new("Expect", "100-continue"));
        }

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _gateway.Port);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var head = Head("PUT", "/bkt/exists", extra, body.Length, signed: error != "403");

        // With Expect: 100-continue a client waits for 100 before it sends the body; on a final answer it never does.
        await stream.WriteAsync(expectContinue ? head : [.. head, .. body], cts.Token);
        var first = await ReadResponseAsync(stream, cts.Token);
        Assert.Equal(error switch { "412" => 412, "badchecksum" => 400, _ => 403 }, first.Status);

        if (first.Headers.Contains("connection: close", StringComparison.OrdinalIgnoreCase))
        {
            // A client that honours Connection: close sends nothing more and closes its side; the server
            // then ends the connection without another byte (no stray "400 Bad Request" for an unsent body).
            client.Client.Shutdown(SocketShutdown.Send);
            var rest = new byte[256];
            int n;
            try
            {
                n = await stream.ReadAsync(rest, cts.Token);
            }
            catch (IOException)
            {
                n = 0;
            }

            Assert.True(n == 0, "bytes after the answer: " + Encoding.Latin1.GetString(rest, 0, n));
            return;
        }

        await stream.WriteAsync(Head("GET", "/bkt/exists", [], 0, signed: true), cts.Token);
        var second = await ReadResponseAsync(stream, cts.Token);
        Assert.Equal(200, second.Status);
        Assert.Equal("x", second.Body);
    }

    [Fact]
    public async Task Boto3_PaginatorsDelimitersAndEncoding_MatchAws()
    {
        const string script = """
            B = "gaps-boto3"
            s3.create_bucket(Bucket=B)
            s3.create_bucket(Bucket=B)  # us-east-1: creating an owned bucket again succeeds
            keys = ["a b", "a+b", "ab/c/d", "ab/c/e", "ab/cd", "ab/x", "c\nd", "e%41", "\u65e5\u672c/\u8a9e", "z&<>"]
            for k in keys:
                s3.put_object(Bucket=B, Key=k, Body=b"x")
            def walk(op, **kw):
                objects, prefixes = [], []
                for page in s3.get_paginator(op).paginate(Bucket=B, PaginationConfig={"PageSize": 2}, **kw):
                    objects += [c["Key"] for c in page.get("Contents", [])]
                    prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
                return objects, prefixes
            for op in ["list_objects", "list_objects_v2"]:
                assert walk(op) == (sorted(keys, key=lambda k: k.encode()), []), walk(op)
                assert walk(op, Delimiter="/") == (["a b", "a+b", "c\nd", "e%41", "z&<>"], ["ab/", "\u65e5\u672c/"]), walk(op, Delimiter="/")
                assert walk(op, Delimiter="/c", Prefix="ab") == (["ab/x"], ["ab/c"]), walk(op, Delimiter="/c", Prefix="ab")
                assert walk(op, Delimiter="never") == (sorted(keys, key=lambda k: k.encode()), []), op
                assert walk(op, Prefix="nomatch", Delimiter="/") == ([], []), op
                assert walk(op, Prefix="ab/c/", Delimiter="/") == (["ab/c/d", "ab/c/e"], []), op
            page = s3.list_objects(Bucket=B, Delimiter="/", MaxKeys=1)
            assert page["IsTruncated"] and page["NextMarker"] == "a b", page
            page = s3.list_objects(Bucket=B, MaxKeys=1)
            assert page["IsTruncated"] and "NextMarker" not in page, page
            assert s3.list_objects_v2(Bucket=B, MaxKeys=0)["KeyCount"] == 0
            s3.put_object(Bucket=B, Key="enc", Body=b"x", ContentEncoding="deflate, gzip", ContentDisposition='attachment;  filename="a b"')
            head = s3.head_object(Bucket=B, Key="enc")
            assert head["ContentEncoding"] == "deflate, gzip", head
            assert head["ContentDisposition"] == 'attachment;  filename="a b"', head
            print("ok")
            """;
        await RunBoto3Async("gaps.py", script);
    }

    [Fact]
    public async Task Boto3_KeysWith255ByteNames_PutGetMultipartCopyOnLocalBackend()
    {
        // Issue 12: the upload's temp name must not make a 230-255-byte name too long for the file system.
        const string script = """
            import io, os
            from boto3.s3.transfer import TransferConfig
            from botocore.exceptions import ClientError
            B = "long-names"
            s3.create_bucket(Bucket=B)
            names = {230: "d/" + "n" * 230, 255: "d/" + "\u00e9" * 127 + "x"}
            for n, k in names.items():
                assert len(k.encode()) == 2 + n, (n, len(k.encode()))
                s3.put_object(Bucket=B, Key=k, Body=b"small")
                assert s3.get_object(Bucket=B, Key=k)["Body"].read() == b"small"
                s3.copy_object(Bucket=B, Key=k, CopySource={"Bucket": B, "Key": k}, MetadataDirective="REPLACE", Metadata={"n": str(n)})
                assert s3.head_object(Bucket=B, Key=k)["Metadata"] == {"n": str(n)}
            big = os.urandom(6 * 1024 * 1024)
            mp = "m/" + "x" * 255
            s3.upload_fileobj(io.BytesIO(big), B, mp, Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
            assert s3.head_object(Bucket=B, Key=mp)["ETag"].endswith('-2"'), s3.head_object(Bucket=B, Key=mp)
            assert s3.get_object(Bucket=B, Key=mp)["Body"].read() == big
            cp = "c/" + "y" * 255
            s3.copy_object(Bucket=B, Key=cp, CopySource={"Bucket": B, "Key": names[230]})
            assert s3.get_object(Bucket=B, Key=cp)["Body"].read() == b"small"
            keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=B)["Contents"])
            assert keys == sorted([cp, mp] + list(names.values())), keys
            try:
                s3.put_object(Bucket=B, Key="t/" + "z" * 256, Body=b"x")
                raise AssertionError("a 256-byte name was stored")
            except ClientError as e:
                assert e.response["Error"]["Code"] == "InvalidArgument", e.response
                assert ".partial" not in e.response["Error"]["Message"], e.response
            assert "t/" not in [p["Prefix"] for p in s3.list_objects_v2(Bucket=B, Delimiter="/").get("CommonPrefixes", [])]
            print("ok")
            """;
        await RunBoto3Async("long_names.py", script);

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_gateway.DataDir, "long-names"), ".*.partial", SearchOption.AllDirectories));
    }

    /// <summary>Runs <paramref name="body"/> with Debian's boto3 against the gateway, as client `s3`; it prints "ok" when every assertion held.</summary>
    private async Task RunBoto3Async(string name, string body)
    {
        const string preamble = """
            import sys
            import boto3
            from botocore.config import Config
            endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
            s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1",
                              config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))

            """;
        var file = _temp.Sub(name);
        await File.WriteAllTextAsync(file, preamble + body);

        var result = await ProcessRunner.RunAsync(S3Clients.DebianPython, [file, _gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey], AwsCli.ClientEnvironment(S3Gateway.AccessKey, S3Gateway.SecretKey), timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal("ok", result.Stdout.Trim());
    }

    [Fact]
    public async Task AwsCliV2_ListObjectsV2Delimiter_MatchesAws()
    {
        var aws = AwsCli.V2;
        await _gateway.Aws(aws).MustAsync("s3api", "create-bucket", "--bucket", "gaps-cli");
        await _gateway.Aws(aws).MustAsync("s3api", "create-bucket", "--bucket", "gaps-cli");
        var local = _temp.Sub("one");
        await File.WriteAllTextAsync(local, "1");
        foreach (var key in new[] { "p/a", "p/b/c", "p/b/d", "p/bx", "p/c d/e", "q" })
        {
            await _gateway.Aws(aws).MustAsync("s3api", "put-object", "--bucket", "gaps-cli", "--key", key, "--body", local);
        }

        var slash = await _gateway.Aws(aws).MustAsync("s3api", "list-objects-v2", "--bucket", "gaps-cli", "--prefix", "p/", "--delimiter", "/", "--output", "json");
        var multi = await _gateway.Aws(aws).MustAsync("s3api", "list-objects-v2", "--bucket", "gaps-cli", "--delimiter", "/b", "--page-size", "1", "--output", "json");

        Assert.Equal(["p/a", "p/bx"], Listing(slash.Stdout).Keys);
        Assert.Equal(["p/b/", "p/c d/"], Listing(slash.Stdout).Prefixes);
        Assert.Equal(["p/a", "p/c d/e", "q"], Listing(multi.Stdout).Keys);
        Assert.Equal(["p/b"], Listing(multi.Stdout).Prefixes);
    }

    private static (string[] Keys, string[] Prefixes) Listing(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string[] Values(string array, string field) =>
            root.TryGetProperty(array, out var items) ? [.. items.EnumerateArray().Select(i => i.GetProperty(field).GetString()!)] : [];
        return (Values("Contents", "Key"), Values("CommonPrefixes", "Prefix"));
    }

    /// <summary>Request head for a keep-alive connection, signed with UNSIGNED-PAYLOAD (or with a signature that does not match).</summary>
    private byte[] Head(string method, string path, List<KeyValuePair<string, string>> extra, int contentLength, bool signed)
    {
        var amzDate = SigV4Signing.AmzDate(DateTimeOffset.UtcNow);
        var host = "127.0.0.1:" + _gateway.Port.ToString(CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD", ["x-amz-date"] = amzDate };
        foreach (var (k, v) in extra.Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers[k.ToLowerInvariant()] = v;
        }

        var signature = SigV4Signing.Signature(method, path, string.Empty, headers, "UNSIGNED-PAYLOAD", amzDate, signed ? S3Gateway.SecretKey : "wrong-secret", "us-east-1");
        var sb = new StringBuilder($"{method} {path} HTTP/1.1\r\n");
        foreach (var (k, v) in headers)
        {
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        }

        foreach (var (k, v) in extra.Where(h => !h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        }

        sb.Append("Authorization: ").Append(SigV4Signing.Algorithm).Append(" Credential=").Append(S3Gateway.AccessKey).Append('/').Append(SigV4Signing.Scope(amzDate, "us-east-1"))
            .Append(", SignedHeaders=").Append(string.Join(';', headers.Keys)).Append(", Signature=").Append(signature).Append("\r\n");
        sb.Append("Content-Length: ").Append(contentLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private sealed record Response(int Status, string Headers, string Body);

    /// <summary>Reads one answer (skipping interim 1xx) with a Content-Length body, leaving the connection open.</summary>
    private static async Task<Response> ReadResponseAsync(NetworkStream stream, CancellationToken ct)
    {
        var data = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            while (!EndsWithBlankLine(data))
            {
                if (await stream.ReadAsync(one, ct) == 0)
                {
                    throw new IOException("the connection closed before an answer: " + Encoding.Latin1.GetString([.. data]));
                }

                data.Add(one[0]);
            }

            var head = Encoding.Latin1.GetString([.. data]);
            var status = int.Parse(head[9..12], CultureInfo.InvariantCulture);
            if (status is >= 100 and < 200)
            {
                data.Clear();
                continue;
            }

            if (head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
            {
                var text = new StringBuilder();
                while (await ReadLineAsync(stream, ct) is { Length: > 0 } sizeLine && int.Parse(sizeLine, NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var size and > 0)
                {
                    var chunk = new byte[size + 2];
                    await stream.ReadExactlyAsync(chunk, ct);
                    text.Append(Encoding.UTF8.GetString(chunk, 0, size));
                }

                await ReadLineAsync(stream, ct);
                return new Response(status, head, text.ToString());
            }

            var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, ct);
            return new Response(status, head, Encoding.UTF8.GetString(body));
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken ct)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1 && one[0] != '\n')
        {
            line.Add(one[0]);
        }

        return Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
    }

    private static bool EndsWithBlankLine(List<byte> data) =>
        data.Count >= 4 && data[^4] == '\r' && data[^3] == '\n' && data[^2] == '\r' && data[^1] == '\n';
}
