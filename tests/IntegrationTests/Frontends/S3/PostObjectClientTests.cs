using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Browser POST uploads as a web page would do them: boto3's generate_presigned_post signs the
/// policy, python3-requests posts the multipart form to a running `gateway serve s3 local:`.
/// </summary>
public sealed class PostObjectClientTests(IntegrityTaggingGateway fixture) : IClassFixture<IntegrityTaggingGateway>
{
    private const string Script = """
        import base64, datetime, hashlib, sys, time, zlib
        import boto3, requests
        from botocore.config import Config

        endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
        B = "boto3-post"
        s3.create_bucket(Bucket=B)

        def code(r):
            return r.text.split("<Code>")[1].split("</Code>")[0]

        post = s3.generate_presigned_post(B, "uploads/${filename}",
            Fields={"Content-Type": "text/plain", "x-amz-meta-owner": "ann"},
            Conditions=[["starts-with", "$Content-Type", "text/"], {"x-amz-meta-owner": "ann"}, ["content-length-range", 1, 100]],
            ExpiresIn=600)
        r = requests.post(post["url"], data=post["fields"], files={"file": ("hello.txt", b"hello post")})
        assert r.status_code == 204, (r.status_code, r.text)
        head = s3.head_object(Bucket=B, Key="uploads/hello.txt")
        assert head["ContentType"] == "text/plain", head
        assert head["Metadata"] == {"owner": "ann"}, head
        assert head["ETag"] == r.headers["ETag"], (head, r.headers)
        assert s3.get_object(Bucket=B, Key="uploads/hello.txt")["Body"].read() == b"hello post"
        print("204 ok")

        post = s3.generate_presigned_post(B, "created.txt", Fields={"success_action_status": "201"},
            Conditions=[{"success_action_status": "201"}])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("x", b"created")})
        assert r.status_code == 201 and "<Key>created.txt</Key>" in r.text, (r.status_code, r.text)
        post = s3.generate_presigned_post(B, "redirected.txt", Fields={"success_action_redirect": "http://127.0.0.1:9/done"},
            Conditions=[{"success_action_redirect": "http://127.0.0.1:9/done"}])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("x", b"r")}, allow_redirects=False)
        assert r.status_code == 303, (r.status_code, r.text)
        assert r.headers["Location"].startswith("http://127.0.0.1:9/done?bucket=boto3-post&key=redirected.txt&etag="), r.headers
        print("201 303 ok")

        # The tagging field (a Tagging document), x-amz-checksum-* fields checked against the file, and a
        # comma-separated Content-Type whose every value must pass starts-with (AWS's condition matching).
        F = "boto3-post-fields"
        s3.create_bucket(Bucket=F)
        tagging = "<Tagging><TagSet><Tag><Key>team</Key><Value>web ui</Value></Tag></TagSet></Tagging>"
        body = b"tagged and checksummed"
        sha = base64.b64encode(hashlib.sha256(body).digest()).decode()
        post = s3.generate_presigned_post(F, "fields.txt",
            Fields={"tagging": tagging, "x-amz-checksum-sha256": sha, "Content-Type": "image/png, image/gif"},
            Conditions=[{"tagging": tagging}, {"x-amz-checksum-sha256": sha}, ["starts-with", "$Content-Type", "image/"]])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("f", body)})
        assert r.status_code == 204, (r.status_code, r.text)
        assert s3.get_object_tagging(Bucket=F, Key="fields.txt")["TagSet"] == [{"Key": "team", "Value": "web ui"}]
        head = s3.head_object(Bucket=F, Key="fields.txt", ChecksumMode="ENABLED")
        assert head["ChecksumSHA256"] == sha and head["ContentType"] == "image/png, image/gif", head
        other = base64.b64encode(zlib.crc32(b"other").to_bytes(4, "big")).decode()
        post = s3.generate_presigned_post(F, "mismatch", Fields={"x-amz-checksum-crc32": other}, Conditions=[{"x-amz-checksum-crc32": other}])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("f", body)})
        assert r.status_code == 400 and code(r) == "BadDigest", (r.status_code, r.text)
        post = s3.generate_presigned_post(F, "mixed", Fields={"Content-Type": "image/png, text/html"}, Conditions=[["starts-with", "$Content-Type", "image/"]])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("f", body)})
        assert r.status_code == 403 and "Policy Condition failed" in r.text, (r.status_code, r.text)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=F)["Contents"]]
        assert keys == ["fields.txt"], keys
        print("fields ok")

        post = s3.generate_presigned_post(B, "limited", Conditions=[["content-length-range", 1, 4]])
        r = requests.post(post["url"], data=post["fields"], files={"file": ("x", b"too large")})
        assert r.status_code == 400 and code(r) == "EntityTooLarge", (r.status_code, r.text)
        post = s3.generate_presigned_post(B, "expired", ExpiresIn=1)
        time.sleep(2)
        r = requests.post(post["url"], data=post["fields"], files={"file": ("x", b"late")})
        assert r.status_code == 403 and "Policy expired" in r.text, (r.status_code, r.text)
        post = s3.generate_presigned_post(B, "tampered")
        fields = dict(post["fields"], key="elsewhere")
        r = requests.post(post["url"], data=fields, files={"file": ("x", b"t")})
        assert r.status_code == 403 and "Policy Condition failed" in r.text, (r.status_code, r.text)
        fields = dict(post["fields"], policy=post["fields"]["policy"][:-4] + "AAAA")
        r = requests.post(post["url"], data=fields, files={"file": ("x", b"t")})
        assert r.status_code == 403 and code(r) == "SignatureDoesNotMatch", (r.status_code, r.text)
        fields = dict(post["fields"], **{"x-amz-meta-extra": "1"})
        r = requests.post(post["url"], data=fields, files={"file": ("x", b"t")})
        assert r.status_code == 403 and "Extra input fields: x-amz-meta-extra" in r.text, (r.status_code, r.text)
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=B)["Contents"])
        assert keys == ["created.txt", "redirected.txt", "uploads/hello.txt"], keys
        print("refusals ok")
        """;

    [Fact]
    public async Task Boto3PresignedPost_WithRequests_UploadsAndRefuses()
    {
        var python = S3Clients.DebianPython;
        var script = fixture.Temp.Sub("boto3_post.py");
        await File.WriteAllTextAsync(script, Script);

        var result = await ProcessRunner.RunAsync(python, [script, fixture.Gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey], AwsCli.ClientEnvironment(S3Gateway.AccessKey, S3Gateway.SecretKey), timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(["204 ok", "201 303 ok", "fields ok", "refusals ok"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("hello post", await File.ReadAllTextAsync(Path.Combine(fixture.Gateway.DataDir, "boto3-post", "uploads", "hello.txt")));
    }
}
