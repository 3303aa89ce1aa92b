using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>
/// Issue 12: versioning calls on an unversioned bucket, as boto3, aws-cli and rclone `--s3-versions`
/// make them. Every object is its one version "null"; other version ids name nothing.
/// </summary>
public sealed class VersionsTests
{
    private const string Script = """
        import sys
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 1}))
        B = "versions"
        s3.create_bucket(Bucket=B)
        assert "Status" not in s3.get_bucket_versioning(Bucket=B)
        keys = ["a.txt", "d/1", "d/2", "d/sub/3", "e", "f+g h"]
        for k in keys:
            s3.put_object(Bucket=B, Key=k, Body=k.encode())

        # the paginator follows NextKeyMarker / NextVersionIdMarker
        seen, pages = [], 0
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=B, PaginationConfig={"PageSize": 2}):
            pages += 1
            for v in page.get("Versions", []):
                assert v["VersionId"] == "null" and v["IsLatest"] is True, v
                assert v["Size"] == len(v["Key"]), v
                seen.append(v["Key"])
            assert not page.get("DeleteMarkers"), page
        assert seen == sorted(keys), seen
        assert pages == 3, pages

        page = s3.list_object_versions(Bucket=B, Prefix="d/", Delimiter="/")
        assert [v["Key"] for v in page["Versions"]] == ["d/1", "d/2"], page
        assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["d/sub/"], page
        page = s3.list_object_versions(Bucket=B, KeyMarker="d/1", VersionIdMarker="null", MaxKeys=2)
        assert [v["Key"] for v in page["Versions"]] == ["d/2", "d/sub/3"], page
        assert page["IsTruncated"] and page["NextKeyMarker"] == "d/sub/3" and page["NextVersionIdMarker"] == "null", page
        page = s3.list_object_versions(Bucket=B, Prefix="f", EncodingType="url")
        assert [v["Key"] for v in page["Versions"]] == ["f%2Bg%20h"], page   # asked for explicitly, boto3 leaves it encoded
        assert page["EncodingType"] == "url", page
        print("list ok")

        # versionId=null addresses the current object; other ids name nothing
        got = s3.get_object(Bucket=B, Key="a.txt", VersionId="null")
        assert got["Body"].read() == b"a.txt" and got["VersionId"] == "null", got
        assert s3.head_object(Bucket=B, Key="a.txt", VersionId="null")["ContentLength"] == 5
        for call in (lambda: s3.get_object(Bucket=B, Key="a.txt", VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH"),
                     lambda: s3.delete_object(Bucket=B, Key="a.txt", VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH")):
            try:
                call()
                raise AssertionError("an unknown version was found")
            except ClientError as e:
                assert e.response["Error"]["Code"] == "NoSuchVersion", e.response
        try:
            s3.head_object(Bucket=B, Key="a.txt", VersionId="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH")
            raise AssertionError("an unknown version was found")
        except ClientError as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, e.response
        s3.delete_object(Bucket=B, Key="a.txt", VersionId="null")
        try:
            s3.head_object(Bucket=B, Key="a.txt")
            raise AssertionError("deleted object still there")
        except ClientError as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        print("get/head/delete ok")

        r = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": "d/1", "VersionId": "null"}, {"Key": "d/2", "VersionId": "nope"}, {"Key": "e"}]})
        assert sorted((d["Key"], d.get("VersionId")) for d in r["Deleted"]) == [("d/1", "null"), ("e", None)], r
        assert [(e["Key"], e["Code"]) for e in r["Errors"]] == [("d/2", "NoSuchVersion")], r
        print("delete_objects ok")

        try:
            s3.put_bucket_versioning(Bucket=B, VersioningConfiguration={"Status": "Enabled"})
            raise AssertionError("versioning was enabled")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "NotImplemented", e.response
        s3.put_bucket_versioning(Bucket=B, VersioningConfiguration={"Status": "Suspended"})
        print("versioning ok")
        """;

    [Fact]
    public async Task VersionCalls_UnversionedBucket_CurrentObjectsAreNullVersions()
    {
        using var temp = new TempDir("s3-versions");
        await using var gateway = await S3Gateway.StartAsync(temp.Sub("data"));
        var script = temp.Sub("versions.py");
        await File.WriteAllTextAsync(script, Script);
        var boto = await ProcessRunner.RunAsync(S3Clients.DebianPython, [script, gateway.Endpoint, S3Gateway.AccessKey, S3Gateway.SecretKey], AwsCli.ClientEnvironment(S3Gateway.AccessKey, S3Gateway.SecretKey), timeout: TimeSpan.FromMinutes(2));
        Assert.True(boto.Succeeded, boto.Describe());
        Assert.Contains("versioning ok", boto.Stdout, StringComparison.Ordinal);

        // aws-cli v2 pages with its own paginator; d/2 (version "nope" was refused) and d/sub/3 and f+g h remain.
        var listed = await gateway.Aws(AwsCli.V2).MustAsync("s3api", "list-object-versions", "--bucket", "versions", "--page-size", "1", "--output", "json");
        using (var json = JsonDocument.Parse(listed.Stdout))
        {
            var versions = json.RootElement.GetProperty("Versions").EnumerateArray().ToList();
            Assert.Equal(["d/2", "d/sub/3", "f+g h"], versions.Select(v => v.GetProperty("Key").GetString()));
            Assert.All(versions, v => Assert.Equal("null", v.GetProperty("VersionId").GetString()));
        }

        // rclone lists through ListObjectVersions with --s3-versions.
        var rclone = Tool.Require("rclone");
        var environment = new Dictionary<string, string?>
        {
            ["RCLONE_CONFIG"] = "/dev/null",
            ["AWS_CA_BUNDLE"] = null,
            ["NO_PROXY"] = "127.0.0.1",
        };
        var remote = $":s3,provider=Other,access_key_id={S3Gateway.AccessKey},secret_access_key='{S3Gateway.SecretKey}',endpoint='{gateway.Endpoint}',force_path_style=true,region=us-east-1:versions";
        var ls = await ProcessRunner.RunAsync(rclone, ["lsf", "-R", "--files-only", "--s3-versions", "-vv", "--dump", "headers", remote, "--retries", "1"], environment, timeout: TimeSpan.FromMinutes(2));
        Assert.True(ls.Succeeded, ls.Describe());
        Assert.Equal(["d/2", "d/sub/3", "f+g h"], ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Matches(@"GET /versions\?\S*\bversions\b", ls.Stderr);
    }
}
