using System.Text.Json;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.Azure;

/// <summary>
/// An independent Azure client for what the gateway wrote: a stdlib-only Python SharedKey client
/// (python3 on PATH, no SDK), so that the bytes, content type and metadata are read by other code
/// than the gateway's. Path-style URLs put the account twice in the canonicalized resource.
/// </summary>
internal static class AzureReader
{
    private const string Script = """
        import base64, hashlib, hmac, json, sys, urllib.request, urllib.parse, email.utils
        endpoint, account, key, container, blob = sys.argv[1:6]
        key = base64.b64decode(key)
        url = endpoint.rstrip("/") + "/" + container + "/" + urllib.parse.quote(blob)
        headers = {"x-ms-date": email.utils.formatdate(usegmt=True), "x-ms-version": "2021-08-06"}
        canon_h = "".join(f"{k}:{v}\n" for k, v in sorted(headers.items()))
        path = urllib.parse.urlsplit(url).path
        sts = "GET\n\n\n\n\n\n\n\n\n\n\n\n" + canon_h + f"/{account}{path}"
        sig = base64.b64encode(hmac.new(key, sts.encode(), hashlib.sha256).digest()).decode()
        headers["Authorization"] = f"SharedKey {account}:{sig}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
                body = r.read()
                meta = {k.lower()[len("x-ms-meta-"):]: v for k, v in r.headers.items() if k.lower().startswith("x-ms-meta-")}
                print(json.dumps({"status": r.status, "contentType": r.headers.get("Content-Type"), "sha256": hashlib.sha256(body).hexdigest(), "size": len(body), "meta": meta}))
        except urllib.error.HTTPError as e:
            print(json.dumps({"status": e.code}))
        """;

    public static async Task<AzureBlobSeen> GetAsync(AzuriteServer azurite, string container, string blob)
    {
        var result = await ProcessRunner.RunAsync(
            "python3", ["-", azurite.Endpoint, AzuriteServer.Account, AzuriteServer.Key, container, blob], standardInput: Script, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.Succeeded, result.Describe());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var status = root.GetProperty("status").GetInt32();
        if (status != 200)
        {
            return new AzureBlobSeen(status, null, null, 0, new Dictionary<string, string>());
        }

        return new AzureBlobSeen(
            status,
            root.GetProperty("contentType").GetString(),
            root.GetProperty("sha256").GetString(),
            root.GetProperty("size").GetInt64(),
            root.GetProperty("meta").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }
}
