using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Debian's boto3 (python3-boto3, run by /usr/bin/python3) against the running gateway: presigned
/// URLs, copies, batch deletes, paged listings with a delimiter, multipart with ListParts and
/// UploadPartCopy. The script asserts and prints one line per step; the test checks it finished.
/// </summary>
public sealed class Boto3Tests
{
    private const string Script = """
        import hashlib, os, sys, urllib.request
        import boto3
        from botocore.config import Config

        endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        B = "boto3-bucket"
        s3.create_bucket(Bucket=B)

        # presigned PUT then presigned GET, with nothing but urllib
        body = os.urandom(70000)
        put_url = s3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": "presigned/obj.bin"}, ExpiresIn=300)
        with opener.open(urllib.request.Request(put_url, data=body, method="PUT")) as r:
            assert r.status == 200, r.status
            assert r.headers["ETag"] == '"%s"' % hashlib.md5(body).hexdigest(), r.headers["ETag"]
        get_url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": "presigned/obj.bin"}, ExpiresIn=300)
        with opener.open(get_url) as r:
            assert r.read() == body
        tampered = get_url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")
        try:
            opener.open(tampered)
            raise AssertionError("a tampered presigned URL was accepted")
        except urllib.error.HTTPError as e:
            assert e.code == 403, e.code
            assert b"SignatureDoesNotMatch" in e.read()
        print("presigned ok")

        # copy_object keeps the bytes and the ETag
        s3.copy_object(Bucket=B, Key="copy/obj.bin", CopySource={"Bucket": B, "Key": "presigned/obj.bin"})
        got = s3.get_object(Bucket=B, Key="copy/obj.bin")
        assert got["Body"].read() == body
        assert got["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
        print("copy ok")

        # 7 keys: list_objects_v2 with MaxKeys=2 pages through them; with a delimiter, prefixes roll up
        keys = ["list/a.txt", "list/b.txt", "list/c/1.txt", "list/c/2.txt", "list/d.txt", "list/e/1.txt", "list/f.txt"]
        for k in keys:
            s3.put_object(Bucket=B, Key=k, Body=k.encode())
        seen, pages, token = [], 0, None
        while True:
            args = {"Bucket": B, "Prefix": "list/", "MaxKeys": 2}
            if token:
                args["ContinuationToken"] = token
            page = s3.list_objects_v2(**args)
            pages += 1
            assert page["KeyCount"] <= 2
            seen += [c["Key"] for c in page.get("Contents", [])]
            if not page["IsTruncated"]:
                break
            token = page["NextContinuationToken"]
        assert seen == sorted(keys), seen
        assert pages == 4, pages
        entries, token = [], None
        while True:
            args = {"Bucket": B, "Prefix": "list/", "Delimiter": "/", "MaxKeys": 2}
            if token:
                args["ContinuationToken"] = token
            page = s3.list_objects_v2(**args)
            entries += [c["Key"] for c in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            if not page["IsTruncated"]:
                break
            token = page["NextContinuationToken"]
        assert sorted(entries) == ["list/a.txt", "list/b.txt", "list/c/", "list/d.txt", "list/e/", "list/f.txt"], entries
        print("list ok")

        # delete_objects: quiet off, one missing key is reported as deleted (S3 semantics)
        result = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": k} for k in keys[:3]] + [{"Key": "list/never"}]})
        assert sorted(d["Key"] for d in result["Deleted"]) == sorted(keys[:3] + ["list/never"]), result
        assert "Errors" not in result or not result["Errors"], result
        left = [c["Key"] for c in s3.list_objects_v2(Bucket=B, Prefix="list/")["Contents"]]
        assert left == sorted(keys[3:]), left
        print("delete ok")

        # multipart: part 1 uploaded, part 2 copied from a range of another object, ListParts, complete
        source = os.urandom(6 * 1024 * 1024)
        s3.put_object(Bucket=B, Key="mp/source.bin", Body=source)
        part1 = os.urandom(5 * 1024 * 1024)
        up = s3.create_multipart_upload(Bucket=B, Key="mp/result.bin", ContentType="application/x-itest")
        uid = up["UploadId"]
        e1 = s3.upload_part(Bucket=B, Key="mp/result.bin", UploadId=uid, PartNumber=1, Body=part1)["ETag"]
        e2 = s3.upload_part_copy(Bucket=B, Key="mp/result.bin", UploadId=uid, PartNumber=2,
                                 CopySource={"Bucket": B, "Key": "mp/source.bin"}, CopySourceRange="bytes=1000-2000999")["CopyPartResult"]["ETag"]
        parts = s3.list_parts(Bucket=B, Key="mp/result.bin", UploadId=uid)["Parts"]
        assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, e1, len(part1)), (2, e2, 2000000)], parts
        done = s3.complete_multipart_upload(Bucket=B, Key="mp/result.bin", UploadId=uid,
                                            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        expected = part1 + source[1000:2001000]
        md5s = hashlib.md5(bytes.fromhex(e1.strip('"')) + bytes.fromhex(e2.strip('"'))).hexdigest()
        assert done["ETag"] == '"%s-2"' % md5s, done["ETag"]
        got = s3.get_object(Bucket=B, Key="mp/result.bin")
        assert got["Body"].read() == expected
        assert got["ContentType"] == "application/x-itest", got["ContentType"]
        assert s3.list_multipart_uploads(Bucket=B).get("Uploads", []) == []
        print("multipart ok")
        """;

    [Fact]
    public async Task Boto3_PresignedCopyDeleteListAndMultipart_Work()
    {
        var python = S3Clients.DebianPython;
        using var temp = new TempDir("s3-boto3");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        var script = temp.Sub("boto3_test.py");
        await File.WriteAllTextAsync(script, Script);

        var result = await ProcessRunner.RunAsync(python, [script, gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey], AwsCli.ClientEnvironment(S3Gateway.AccessKey, S3Gateway.SecretKey), timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(["presigned ok", "copy ok", "list ok", "delete ok", "multipart ok"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(5 * 1024 * 1024 + 2_000_000, new FileInfo(Path.Combine(gateway.DataDir, "boto3-bucket", "mp", "result.bin")).Length);
    }
}
