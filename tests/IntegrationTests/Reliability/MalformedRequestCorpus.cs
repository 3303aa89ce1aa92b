using System.Globalization;
using System.Text;
using VfsGateway.TestSupport;

namespace VfsGateway.IntegrationTests.Reliability;

/// <summary>Which running server a case goes to.</summary>
public enum CorpusTarget
{
    S3Signed,
    S3Anonymous,
    Restic,
}

/// <summary>One hostile request: where it goes, how it is built, and the answers that are right for it.</summary>
internal sealed record CorpusCase(string Name, CorpusTarget Target, Func<MalformedRequestFixture, int, byte[]> Build, int[] Expected, bool HalfClose = false, bool MayCloseWithoutAnswer = false);

/// <summary>
/// The corpus: path traversal (raw, encoded, double-encoded, %2F, backslash, NUL, overlong UTF-8,
/// Unicode dots), bad names, bad ranges, lying lengths, truncated bodies, bad chunk framing, SigV4
/// failures, malformed and hostile XML, oversized headers — across both frontends, with the three
/// 2026 advisories against rclone's servers as named regression cases.
/// </summary>
internal static class MalformedRequestCorpus
{
    private static readonly int[] Refused = [400, 403, 404];
    private static readonly int[] BadRequest = [400];
    private static readonly int[] NotFound = [404];

    private static readonly Lazy<IReadOnlyDictionary<string, CorpusCase>> AllCases = new(() =>
    {
        var cases = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (var c in Build())
        {
            cases.Add(c.Name, c);
        }

        return cases;
    });

    public static IReadOnlyDictionary<string, CorpusCase> Cases => AllCases.Value;

    public static IEnumerable<object[]> Names() => Cases.Keys.Select(n => new object[] { n });

    private static IEnumerable<CorpusCase> Build()
    {
        // ---- S3: keys that leave the bucket, or that no file system path may hold (anonymous server: the key parser itself answers)
        string[] escaping =
        [
            "../root-secret.txt", "../../secret.txt", "a/../../root-secret.txt", "./obj.txt", "a/./../../secret.txt",
            "..%2Froot-secret.txt", "..%2froot-secret.txt", "%2e%2e/root-secret.txt", "%2E%2E%2Froot-secret.txt",
            "%2e%2e%2f%2e%2e%2fsecret.txt", "a%2F..%2F..%2Froot-secret.txt", ".%2e/root-secret.txt",
            "..\\root-secret.txt", "..%5croot-secret.txt", "a%5C..%5C..%5Csecret.txt", "C:%5cwindows",
            "obj.txt%00.jpg", "%00", "..%00/root-secret.txt",
            "%c0%ae%c0%ae/root-secret.txt", "%c0%ae%c0%ae%c0%afroot-secret.txt", "%e0%80%ae%e0%80%ae/root-secret.txt", "%ff%fe",
            "/root-secret.txt", "%2froot-secret.txt", "a//obj.txt",
        ];
        foreach (var (key, i) in escaping.Select((k, i) => (k, i)))
        {
            foreach (var method in new[] { "GET", "HEAD", "PUT", "DELETE" })
            {
                var body = method == "PUT" ? "escaped"u8.ToArray() : null;
                yield return new CorpusCase($"s3-traversal-{i:D2}-{method}-{key}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build(method, "/bkt/" + key, body: body), Refused);
            }
        }

        // GHSA-8v25-v8p6-qf7v (rclone serve s3): GET/PUT /bucket/../root-secret.txt reached the serve root.
        foreach (var method in new[] { "GET", "PUT" })
        {
            var body = method == "PUT" ? "overwritten"u8.ToArray() : null;
            yield return new CorpusCase($"GHSA-8v25-v8p6-qf7v-{method}-signed", CorpusTarget.S3Signed, (f, p) => SignedS3(method, "/bkt/../root-secret.txt", [], body ?? [], p), Refused);
        }

        // keys that are legal S3 keys but name nothing here: 404, never a file outside
        string[] literal = ["%252e%252e%252froot-secret.txt", "%25%32%65%25%32%65/root-secret.txt", "%e2%80%a4%e2%80%a4/root-secret.txt", "%ef%bc%8e%ef%bc%8e/root-secret.txt", "%e3%80%82%e3%80%82/root-secret.txt", "..%ef%bc%8froot-secret.txt"];
        foreach (var (key, i) in literal.Select((k, i) => (k, i)))
        {
            foreach (var method in new[] { "GET", "HEAD" })
            {
                yield return new CorpusCase($"s3-literal-{i:D2}-{method}-{key}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build(method, "/bkt/" + key), NotFound);
            }
        }

        // listing prefixes that try to climb
        foreach (var (prefix, i) in new[] { "../", "..%2F", "%2e%2e%2f", "a/../../", "..\\" }.Select((k, i) => (k, i)))
        {
            yield return new CorpusCase($"s3-list-prefix-{i}-{prefix}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("GET", "/bkt?list-type=2&prefix=" + prefix), [200, 400]);
        }

        // bucket names S3 forbids
        string[] buckets = ["Bad_Bucket", "ab", "-abc", "abc-", "192.168.10.1", "a..b", "xn--abc", new string('a', 64), "abc.-def", "sthree-abc", "abc%2Fdef", "..", "%2e%2e"];
        foreach (var (name, i) in buckets.Select((k, i) => (k, i)))
        {
            // "abc%2Fdef" decodes to bucket "abc", key "def": a PutObject into a bucket that does not exist
            yield return new CorpusCase($"s3-bucket-name-{i:D2}-{name}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/" + name), name.Contains("%2F", StringComparison.Ordinal) ? [400, 404] : [400]);
        }

        // ranges that cannot be satisfied
        foreach (var (range, i) in new[] { "bytes=100-", "bytes=100-200", "bytes=12-12" }.Select((k, i) => (k, i)))
        {
            yield return new CorpusCase($"s3-range-{i}-{range}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("GET", "/bkt/obj.txt", [new("Range", range)]), [416]);
        }

        yield return new CorpusCase("s3-upload-part-copy-bad-range", CorpusTarget.S3Anonymous,
            (f, _) => RawHttp.Build("PUT", $"/bkt/mp?partNumber=1&uploadId={f.UploadId}", [new("x-amz-copy-source", "/bkt/obj.txt"), new("x-amz-copy-source-range", "bytes=100-200")]), [400, 416]);

        // lying lengths, truncated and badly framed bodies: nothing may become visible
        yield return new CorpusCase("s3-content-length-longer-than-body", CorpusTarget.S3Anonymous,
            (_, _) => RawHttp.Build("PUT", "/bkt/lying1", [new("Content-Length", "1000")], "only ten b"u8.ToArray()), BadRequest, HalfClose: true, MayCloseWithoutAnswer: true);
        yield return new CorpusCase("s3-content-md5-mismatch", CorpusTarget.S3Anonymous,
            (_, _) => RawHttp.Build("PUT", "/bkt/lying2", [new("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==")], "payload"u8.ToArray()), BadRequest);
        yield return new CorpusCase("s3-content-md5-not-base64", CorpusTarget.S3Anonymous,
            (_, _) => RawHttp.Build("PUT", "/bkt/lying3", [new("Content-MD5", "not base64!")], "payload"u8.ToArray()), BadRequest);
        yield return new CorpusCase("s3-checksum-crc32-mismatch", CorpusTarget.S3Anonymous,
            (_, _) => RawHttp.Build("PUT", "/bkt/lying4", [new("x-amz-checksum-crc32", "AAAAAA==")], "payload"u8.ToArray()), BadRequest);
        yield return new CorpusCase("s3-signed-payload-hash-mismatch", CorpusTarget.S3Signed,
            (_, p) => SignedS3("PUT", "/bkt/lying5", [], "payload"u8.ToArray(), p, payloadHash: SigV4Signing.Sha256("other payload"u8.ToArray())), BadRequest);
        yield return new CorpusCase("s3-signed-content-length-shorter-than-signed-body", CorpusTarget.S3Signed,
            (_, p) => SignedS3("PUT", "/bkt/lying6", [new("Content-Length", "4")], "payload"u8.ToArray(), p, payloadHash: SigV4Signing.Sha256("payload"u8.ToArray())), BadRequest);
        foreach (var (frontend, target, path) in Targets())
        {
            yield return new CorpusCase($"{frontend}-chunked-truncated", target, (f, _) => Chunked(f, target, path, "10\r\n0123"), BadRequest, HalfClose: true, MayCloseWithoutAnswer: true);
            yield return new CorpusCase($"{frontend}-chunked-bad-size", target, (f, _) => Chunked(f, target, path, "zz\r\nabc\r\n0\r\n\r\n"), BadRequest);
            yield return new CorpusCase($"{frontend}-chunked-size-overflow", target, (f, _) => Chunked(f, target, path, "fffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"), BadRequest);
            yield return new CorpusCase($"{frontend}-chunked-missing-crlf", target, (f, _) => Chunked(f, target, path, "3\r\nabcXX4\r\ndefg\r\n0\r\n\r\n"), BadRequest);
            // RFC 9112 6.3: Transfer-Encoding overrides Content-Length (Kestrel hides the latter); sent where nothing may be written.
            yield return new CorpusCase($"{frontend}-content-length-and-chunked", target,
                (f, _) => RawHttp.Build("PUT", target == CorpusTarget.Restic ? "/bob/repo/data/" + new string('2', 64) : "/no-such-bucket-corpus/framing", [.. Auth(target), new("Content-Length", "3"), new("Transfer-Encoding", "chunked")], "3\r\nabc\r\n0\r\n\r\n"u8.ToArray()), [400, 401, 403, 404, 405]);
            yield return new CorpusCase($"{frontend}-content-length-negative", target, (f, _) => RawHttp.Build("PUT", path, [.. Auth(target), new("Content-Length", "-1")], "abc"u8.ToArray()), [400, 405]);
            yield return new CorpusCase($"{frontend}-content-length-twice", target,
                (f, _) => RawHttp.Build("PUT", path, [.. Auth(target), new("Content-Length", "3"), new("Content-Length", "4")], "abcd"u8.ToArray()), [400, 405]);
            yield return new CorpusCase($"{frontend}-header-too-large", target, (f, _) => RawHttp.Build("GET", path, [new("X-Big", new string('a', 64 * 1024))]), [431, 400]);
            yield return new CorpusCase($"{frontend}-too-many-headers", target,
                (f, _) => RawHttp.Build("GET", path, Enumerable.Range(0, 400).Select(i => new KeyValuePair<string, string>($"X-H{i}", new string('b', 100)))), [431, 400]);
            yield return new CorpusCase($"{frontend}-request-line-too-long", target, (f, _) => RawHttp.Build("GET", path + "?q=" + new string('c', 20_000)), [414, 400]);
            // Kestrel accepts control characters in values of headers nobody reads: the request goes on (no such object / no credentials).
            yield return new CorpusCase($"{frontend}-control-character-in-header", target, (f, _) => RawHttp.Build("GET", path, [new("X-Bad", "a\u0001b")]), [400, 401, 404]);
            yield return new CorpusCase($"{frontend}-space-in-target", target, (f, _) => RawHttp.Build("GET", path + " x"), [400, 505]);
            yield return new CorpusCase($"{frontend}-http-0.9", target, (f, _) => Encoding.ASCII.GetBytes($"GET {path}\r\n\r\n"), [400, 505], MayCloseWithoutAnswer: true);
            yield return new CorpusCase($"{frontend}-absolute-form-elsewhere", target, (f, _) => RawHttp.Build("GET", "http://198.51.100.1/" + path.TrimStart('/')), [400, 403, 404]);
        }

        // aws-chunked (signed streaming) framing and chunk signatures
        yield return new CorpusCase("s3-aws-chunked-tampered-chunk-signature", CorpusTarget.S3Signed, (_, p) => AwsChunked(p, tamper: true, badFraming: false, decodedLength: null), [403]);
        yield return new CorpusCase("s3-aws-chunked-bad-framing", CorpusTarget.S3Signed, (_, p) => AwsChunked(p, tamper: false, badFraming: true, decodedLength: null), [400, 403]);
        yield return new CorpusCase("s3-aws-chunked-decoded-length-lies", CorpusTarget.S3Signed, (_, p) => AwsChunked(p, tamper: false, badFraming: false, decodedLength: 999), [400]);
        yield return new CorpusCase("s3-aws-chunked-missing-decoded-length", CorpusTarget.S3Signed, (_, p) => AwsChunked(p, tamper: false, badFraming: false, decodedLength: -1), [400, 411]);

        // SigV4 authentication failures
        yield return new CorpusCase("sigv4-no-authorization", CorpusTarget.S3Signed, (_, _) => RawHttp.Build("GET", "/bkt/obj.txt"), [403]);
        yield return new CorpusCase("sigv4-wrong-secret", CorpusTarget.S3Signed, (_, p) => SignedS3("GET", "/bkt/obj.txt", [], [], p, secret: "wrong"), [403]);
        yield return new CorpusCase("sigv4-unknown-access-key", CorpusTarget.S3Signed, (_, p) => SignedS3("GET", "/bkt/obj.txt", [], [], p, accessKey: "nobody"), [403]);
        yield return new CorpusCase("sigv4-date-20-minutes-old", CorpusTarget.S3Signed, (_, p) => SignedS3("GET", "/bkt/obj.txt", [], [], p, when: DateTimeOffset.UtcNow.AddMinutes(-20)), [403]);
        yield return new CorpusCase("sigv4-date-20-minutes-ahead", CorpusTarget.S3Signed, (_, p) => SignedS3("GET", "/bkt/obj.txt", [], [], p, when: DateTimeOffset.UtcNow.AddMinutes(20)), [403]);
        yield return new CorpusCase("sigv4-signed-for-another-method", CorpusTarget.S3Signed, (_, p) => Resign(SignedS3("GET", "/bkt/obj.txt", [], [], p), "GET", "DELETE"), [403]);
        yield return new CorpusCase("sigv4-signed-for-another-key", CorpusTarget.S3Signed, (_, p) => Resign(SignedS3("GET", "/bkt/obj.txt", [], [], p), "/bkt/obj.txt", "/bkt/root.txt"), [403]);
        yield return new CorpusCase("sigv4-malformed-authorization", CorpusTarget.S3Signed,
            (_, _) => RawHttp.Build("GET", "/bkt/obj.txt", [new("Authorization", "AWS4-HMAC-SHA256 garbage"), new("x-amz-date", SigV4Signing.AmzDate(DateTimeOffset.UtcNow)), new("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]), [400, 403]);
        yield return new CorpusCase("sigv4-signature-v2", CorpusTarget.S3Signed, (_, _) => RawHttp.Build("GET", "/bkt/obj.txt", [new("Authorization", "AWS corpus-access-key:c2lnbmF0dXJl"), new("Date", DateTime.UtcNow.ToString("R"))]), [400, 403]);
        yield return new CorpusCase("sigv4-bad-content-sha256", CorpusTarget.S3Signed, (_, p) => SignedS3("PUT", "/bkt/sha", [], "abc"u8.ToArray(), p, payloadHash: "not-a-hash"), [400, 403]);
        yield return new CorpusCase("sigv4-date-not-a-date", CorpusTarget.S3Signed, (_, p) => Resign(SignedS3("GET", "/bkt/obj.txt", [], [], p, when: Fixed), "x-amz-date: " + SigV4Signing.AmzDate(Fixed), "x-amz-date: 20261399T999999Z"), [400, 403]);
        foreach (var (expires, offset, expected, label) in new (string, int, int, string)[]
                 {
                     ("60", -7200, 403, "elapsed"), ("0", 0, 403, "zero"), ("-1", 0, 400, "negative"), ("604801", 0, 400, "above-a-week"), ("abc", 0, 400, "not-a-number"),
                 })
        {
            yield return new CorpusCase($"presigned-expires-{label}", CorpusTarget.S3Signed, (_, p) => Presigned(p, expires, DateTimeOffset.UtcNow.AddSeconds(offset)), [expected]);
        }

        yield return new CorpusCase("presigned-tampered-signature", CorpusTarget.S3Signed, (_, p) => Resign(Presigned(p, "300", DateTimeOffset.UtcNow), "X-Amz-Signature=", "X-Amz-Signature=0"), [403]);
        yield return new CorpusCase("presigned-missing-credential", CorpusTarget.S3Signed,
            (_, _) => RawHttp.Build("GET", $"/bkt/obj.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={SigV4Signing.AmzDate(DateTimeOffset.UtcNow)}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00"), [400, 403]);

        // malformed and hostile XML
        string[] xmls =
        [
            "not xml at all", "<Delete><Object><Key>a</Key></Object>", "",
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&x;</Key></Object></Delete>",
            "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><Delete><Object><Key>&d;</Key></Object></Delete>",
            "<Delete>" + string.Concat(Enumerable.Repeat("<Object><Key>k</Key></Object>", 1001)) + "</Delete>",
            string.Concat(Enumerable.Repeat("<a>", 5000)) + string.Concat(Enumerable.Repeat("</a>", 5000)),
        ];
        foreach (var (xml, i) in xmls.Select((x, i) => (x, i)))
        {
            yield return new CorpusCase($"s3-delete-objects-xml-{i}", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("POST", "/bkt?delete", [new("Content-MD5", Md5(xml))], Encoding.UTF8.GetBytes(xml)), [400]);
        }

        yield return new CorpusCase("s3-delete-objects-empty-key", CorpusTarget.S3Anonymous, (_, _) => DeleteObjects(string.Empty), [200, 400]);
        yield return new CorpusCase("s3-delete-objects-traversal-key", CorpusTarget.S3Anonymous, (_, _) => DeleteObjects("../root-secret.txt"), [200, 400]);
        yield return new CorpusCase("s3-delete-objects-backslash-key", CorpusTarget.S3Anonymous, (_, _) => DeleteObjects("..\\root-secret.txt"), [200, 400]);
        string[] completes =
        [
            "garbage", "<CompleteMultipartUpload></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"00000000000000000000000000000000\"</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>abc</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\"a\"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>",
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&x;</ETag></Part></CompleteMultipartUpload>",
        ];
        foreach (var (xml, i) in completes.Select((x, i) => (x, i)))
        {
            yield return new CorpusCase($"s3-complete-multipart-xml-{i}", CorpusTarget.S3Anonymous, (f, _) => RawHttp.Build("POST", $"/bkt/mp?uploadId={f.UploadId}", body: Encoding.UTF8.GetBytes(xml)), [400]);
        }

        yield return new CorpusCase("s3-complete-multipart-unknown-upload", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("POST", "/bkt/mp?uploadId=..%2F..%2Fsecret", body: "<CompleteMultipartUpload/>"u8.ToArray()), [400, 404]);
        yield return new CorpusCase("s3-upload-part-traversal-upload-id", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/bkt/mp?partNumber=1&uploadId=../../../secret.txt", body: "x"u8.ToArray()), [400, 404]);
        yield return new CorpusCase("s3-upload-part-number-zero", CorpusTarget.S3Anonymous, (f, _) => RawHttp.Build("PUT", $"/bkt/mp?partNumber=0&uploadId={f.UploadId}", body: "x"u8.ToArray()), [400]);
        yield return new CorpusCase("s3-upload-part-number-10001", CorpusTarget.S3Anonymous, (f, _) => RawHttp.Build("PUT", $"/bkt/mp?partNumber=10001&uploadId={f.UploadId}", body: "x"u8.ToArray()), [400]);
        yield return new CorpusCase("s3-create-bucket-bad-configuration", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/newbucket-corpus", body: "<CreateBucketConfiguration><LocationConstraint>"u8.ToArray()), [400]);
        yield return new CorpusCase("s3-copy-source-traversal", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/bkt/copy", [new("x-amz-copy-source", "/bkt/../root-secret.txt")]), [400, 403, 404]);
        yield return new CorpusCase("s3-copy-source-encoded-traversal", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/bkt/copy", [new("x-amz-copy-source", "bkt/..%2F..%2Fsecret.txt")]), [400, 403, 404]);
        yield return new CorpusCase("s3-copy-source-no-key", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/bkt/copy", [new("x-amz-copy-source", "bkt")]), [400]);
        yield return new CorpusCase("s3-metadata-too-large", CorpusTarget.S3Anonymous, (_, _) => RawHttp.Build("PUT", "/bkt/meta", [new("x-amz-meta-big", new string('m', 3000))], "x"u8.ToArray()), [400]);

        // ---- restic: paths that leave the user's repository or the root (alice is logged in, --private-repos)
        string[] resticPaths =
        [
            "/bob/repo/config", "/Bob/repo/config", "/alice/../bob/repo/config", "/alice/repo/../../bob/repo/config",
            "/alice/..%2Fbob/repo/config", "/alice/%2e%2e/bob/repo/config", "/alice%2F..%2Fbob/repo/config", "//bob/repo/config",
            "/./bob/repo/config", "/alice/./../bob/repo/config", "/alice/repo/%2e%2e%2f%2e%2e%2fbob/repo/config", "/alice/repo/keys/..%5c..%5c..%5cbob%5crepo%5cconfig",
            "/alice/%c0%ae%c0%ae/bob/repo/config", "/alice/%ef%bc%8e%ef%bc%8e/bob/repo/config", "/alice\\..\\bob/repo/config", "/alice/repo/config%00",
            "/../top-secret", "/..%2ftop-secret", "/%2e%2e/top-secret", "/alice/../../secret.txt", "/alice/repo/data/..%2f..%2f..%2f..%2fsecret.txt",
            "/%2e%2e%2f%2e%2e%2fsecret.txt", "/alice/%252e%252e/bob/repo/config",
        ];
        foreach (var (path, i) in resticPaths.Select((k, i) => (k, i)))
        {
            foreach (var method in new[] { "GET", "HEAD", "POST", "DELETE" })
            {
                var body = method == "POST" ? "x"u8.ToArray() : null;
                var name = i switch
                {
                    < 16 => $"CVE-2026-59733-private-repos-{i:D2}-{method}-{path}",
                    < 21 => $"GHSA-45pq-889g-fcgh-{i:D2}-{method}-{path}",
                    _ => $"restic-traversal-{i:D2}-{method}-{path}",
                };
                yield return new CorpusCase(name, CorpusTarget.Restic, (_, _) => RawHttp.Build(method, path, Alice, body), [400, 401, 403, 404, 405]);
            }
        }

        // restic: names and ranges
        var hex63 = new string('a', 63);
        string[] badNames = ["data/nothex", $"data/{hex63}", $"data/{hex63}g", $"data/{new string('A', 64)}", "snapshots/zz", $"keys/{hex63}0/x", "unknown/abc", "config/x", "data/../config", "locks/%2e%2e"];
        foreach (var (name, i) in badNames.Select((k, i) => (k, i)))
        {
            yield return new CorpusCase($"restic-bad-name-{i}-{name}", CorpusTarget.Restic, (_, _) => RawHttp.Build("POST", "/alice/repo/" + name, Alice, "x"u8.ToArray()), [400, 404, 405]);
        }

        yield return new CorpusCase("restic-body-does-not-match-id", CorpusTarget.Restic, (_, _) => RawHttp.Build("POST", "/alice/repo/data/" + new string('0', 64), Alice, "x"u8.ToArray()), [400]);
        yield return new CorpusCase("restic-content-length-longer-than-body", CorpusTarget.Restic,
            (_, _) => RawHttp.Build("POST", "/alice/repo/data/" + SigV4Signing.Sha256(new byte[1000]), [.. Alice, new("Content-Length", "1000")], new byte[10]), BadRequest, HalfClose: true, MayCloseWithoutAnswer: true);
        foreach (var (range, i) in new[] { "bytes=1000-", "bytes=1000-2000", "bytes=14-14" }.Select((k, i) => (k, i)))
        {
            yield return new CorpusCase($"restic-range-{i}-{range}", CorpusTarget.Restic, (f, _) => RawHttp.Build("GET", $"/alice/repo/keys/{f.AliceKeyId}", [.. Alice, new("Range", range)]), [416]);
        }

        // restic: authentication
        yield return new CorpusCase("restic-auth-none", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/"), [401]);
        yield return new CorpusCase("restic-auth-wrong-password", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", MalformedRequestFixture.Basic("alice", "wrong")), [401]);
        yield return new CorpusCase("restic-auth-unknown-user", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", MalformedRequestFixture.Basic("mallory", "x")), [401]);
        yield return new CorpusCase("restic-auth-not-base64", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", [new("Authorization", "Basic !!!notbase64")]), [400, 401]);
        yield return new CorpusCase("restic-auth-no-colon", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", [new("Authorization", "Basic " + Convert.ToBase64String("alice"u8.ToArray()))]), [400, 401]);
        yield return new CorpusCase("restic-auth-empty-password", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", MalformedRequestFixture.Basic("alice", string.Empty)), [401]);
        yield return new CorpusCase("restic-auth-bearer", CorpusTarget.Restic, (_, _) => RawHttp.Build("GET", "/alice/repo/keys/", [new("Authorization", "Bearer abc")]), [401]);
        yield return new CorpusCase("restic-auth-bob-creates-in-alice", CorpusTarget.Restic, (_, _) => RawHttp.Build("POST", "/alice/other/?create=true", MalformedRequestFixture.Basic("bob", MalformedRequestFixture.BobPassword)), [401, 403]);
        yield return new CorpusCase("restic-auth-bob-deletes-alice-key", CorpusTarget.Restic, (f, _) => RawHttp.Build("DELETE", $"/alice/repo/keys/{f.AliceKeyId}", MalformedRequestFixture.Basic("bob", MalformedRequestFixture.BobPassword)), [401, 403]);
    }

    /// <summary>A signing time the tampering cases can find again in the request they alter.</summary>
    private static DateTimeOffset Fixed => new(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day, DateTimeOffset.UtcNow.Hour, DateTimeOffset.UtcNow.Minute, 0, TimeSpan.Zero);

    private static KeyValuePair<string, string>[] Alice => MalformedRequestFixture.Basic("alice", MalformedRequestFixture.AlicePassword);

    private static IEnumerable<(string Frontend, CorpusTarget Target, string Path)> Targets() =>
    [
        ("s3", CorpusTarget.S3Anonymous, "/bkt/framing"),
        ("restic", CorpusTarget.Restic, "/alice/repo/data/" + new string('1', 64)),
    ];

    private static KeyValuePair<string, string>[] Auth(CorpusTarget target) => target == CorpusTarget.Restic ? Alice : [];

    private static byte[] Chunked(MalformedRequestFixture f, CorpusTarget target, string path, string framing)
    {
        _ = f;
        var method = target == CorpusTarget.Restic ? "POST" : "PUT";
        return RawHttp.Build(method, path, [.. Auth(target), new("Transfer-Encoding", "chunked")], Encoding.ASCII.GetBytes(framing));
    }

#pragma warning disable CA5351 // Content-MD5 is what the S3 protocol asks for, not a security measure
    private static string Md5(string s) => Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(s)));
#pragma warning restore CA5351

    private static byte[] DeleteObjects(string key)
    {
        var xml = $"<Delete><Object><Key>{System.Security.SecurityElement.Escape(key)}</Key></Object></Delete>";
        return RawHttp.Build("POST", "/bkt?delete", [new("Content-MD5", Md5(xml))], Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>A header-signed request; <paramref name="rawPath"/> is sent and signed as given.</summary>
    private static byte[] SignedS3(
        string method, string rawPath, KeyValuePair<string, string>[] extra, byte[] body, int port,
        string accessKey = MalformedRequestFixture.AccessKey, string secret = MalformedRequestFixture.SecretKey, DateTimeOffset? when = null, string? payloadHash = null)
    {
        var amzDate = SigV4Signing.AmzDate(when ?? DateTimeOffset.UtcNow);
        var hash = payloadHash ?? SigV4Signing.Sha256(body);
        var host = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-content-sha256"] = hash, ["x-amz-date"] = amzDate };
        var signature = SigV4Signing.Signature(method, rawPath, string.Empty, headers, hash, amzDate, secret, "us-east-1");
        var auth = $"{SigV4Signing.Algorithm} Credential={accessKey}/{SigV4Signing.Scope(amzDate, "us-east-1")}, SignedHeaders={string.Join(';', headers.Keys)}, Signature={signature}";
        var all = new List<KeyValuePair<string, string>> { new("Host", host), new("x-amz-content-sha256", hash), new("x-amz-date", amzDate), new("Authorization", auth) };
        all.AddRange(extra);
        return RawHttp.Build(method, rawPath, all, body);
    }

    private static byte[] Presigned(int port, string expires, DateTimeOffset when)
    {
        var amzDate = SigV4Signing.AmzDate(when);
        var host = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var query = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Algorithm", SigV4Signing.Algorithm),
            new("X-Amz-Credential", $"{MalformedRequestFixture.AccessKey}/{SigV4Signing.Scope(amzDate, "us-east-1")}"),
            new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", expires),
            new("X-Amz-SignedHeaders", "host"),
        };
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host };
        var canonicalQuery = SigV4Signing.CanonicalQuery(query);
        var signature = SigV4Signing.Signature("GET", "/bkt/obj.txt", canonicalQuery, headers, "UNSIGNED-PAYLOAD", amzDate, MalformedRequestFixture.SecretKey, "us-east-1");
        return RawHttp.Build("GET", $"/bkt/obj.txt?{canonicalQuery}&X-Amz-Signature={signature}", [new("Host", host)]);
    }

    /// <summary>aws-chunked upload of "hello world" in one chunk, optionally tampered, badly framed or with a lying decoded length (-1: header missing).</summary>
    private static byte[] AwsChunked(int port, bool tamper, bool badFraming, int? decodedLength)
    {
        var data = "hello world"u8.ToArray();
        var amzDate = SigV4Signing.AmzDate(DateTimeOffset.UtcNow);
        var host = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        const string Streaming = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-encoding"] = "aws-chunked",
            ["host"] = host,
            ["x-amz-content-sha256"] = Streaming,
            ["x-amz-date"] = amzDate,
        };
        if (decodedLength != -1)
        {
            headers["x-amz-decoded-content-length"] = (decodedLength ?? data.Length).ToString(CultureInfo.InvariantCulture);
        }

        var seed = SigV4Signing.Signature("PUT", "/bkt/chunked", string.Empty, headers, Streaming, amzDate, MalformedRequestFixture.SecretKey, "us-east-1");
        var first = SigV4Signing.ChunkSignature(seed, data, amzDate, MalformedRequestFixture.SecretKey, "us-east-1");
        var last = SigV4Signing.ChunkSignature(first, [], amzDate, MalformedRequestFixture.SecretKey, "us-east-1");
        if (tamper)
        {
            first = (first[0] == '0' ? "1" : "0") + first[1..];
        }

        var body = badFraming
            ? $"{data.Length:x}\r\nhello world\r\n0\r\n\r\n"
            : $"{data.Length:x};chunk-signature={first}\r\nhello world\r\n0;chunk-signature={last}\r\n\r\n";
        var auth = $"{SigV4Signing.Algorithm} Credential={MalformedRequestFixture.AccessKey}/{SigV4Signing.Scope(amzDate, "us-east-1")}, SignedHeaders={string.Join(';', headers.Keys)}, Signature={seed}";
        var all = headers.Where(h => h.Key != "host").Select(h => new KeyValuePair<string, string>(h.Key, h.Value)).Append(new("Host", host)).Append(new("Authorization", auth));
        return RawHttp.Build("PUT", "/bkt/chunked", all, Encoding.ASCII.GetBytes(body));
    }

    /// <summary>Replaces text in an already signed request (a tampered copy: the signature no longer matches).</summary>
    private static byte[] Resign(byte[] request, string from, string to)
    {
        var text = Encoding.Latin1.GetString(request);
        var index = text.IndexOf(from, StringComparison.Ordinal);
        return index < 0 ? request : Encoding.Latin1.GetBytes(text[..index] + to + text[(index + from.Length)..]);
    }
}
