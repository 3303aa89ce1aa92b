using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using VfsGateway.Frontends.Http;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.Http.Hosting;

public sealed class GatewayHostTlsTests
{
    [Fact]
    public async Task StartAsync_Tls_ServesHttp2ViaAlpnAndHttp11()
    {
        using var dir = new TempDir();
        var (cert, key) = SelfSignedCertificate.WritePem(dir.Path);
        await using var gateway = await GatewayHost.StartAsync(
            new HttpServerOptions { Address = "127.0.0.1:0", Tls = true, TlsCert = cert, TlsKey = key },
            new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        var address = Assert.Single(gateway.Addresses);
        Assert.StartsWith("https://127.0.0.1:", address, StringComparison.Ordinal);
        using var client = new HttpClient(TrustingHandler(SelfSignedCertificate.Thumbprint(cert), SslProtocols.None));

        using var h2 = new HttpRequestMessage(HttpMethod.Get, address + "/two") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var h2Response = await client.SendAsync(h2);
        Assert.Equal(HttpVersion.Version20, h2Response.Version);
        Assert.Equal("HTTP/2 GET /two", await h2Response.Content.ReadAsStringAsync());

        using var h1 = new HttpRequestMessage(HttpMethod.Get, address + "/one") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var h1Response = await client.SendAsync(h1);
        Assert.Equal("HTTP/1.1 GET /one", await h1Response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_TlsMin13_RefusesTls12Client()
    {
        using var dir = new TempDir();
        var (cert, key) = SelfSignedCertificate.WritePem(dir.Path);
        await using var gateway = await GatewayHost.StartAsync(
            new HttpServerOptions { Address = "127.0.0.1:0", Tls = true, TlsCert = cert, TlsKey = key, TlsMinVersion = "1.3" },
            new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None);
        var address = gateway.Addresses.Single();

        using var tls12 = new HttpClient(TrustingHandler(SelfSignedCertificate.Thumbprint(cert), SslProtocols.Tls12));
        await Assert.ThrowsAsync<HttpRequestException>(() => tls12.GetStringAsync(new Uri(address + "/")));

        using var tls13 = new HttpClient(TrustingHandler(SelfSignedCertificate.Thumbprint(cert), SslProtocols.Tls13));
        Assert.Equal("HTTP/1.1 GET /", await tls13.GetStringAsync(new Uri(address + "/")));
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("1.4")]
    [InlineData("tls1.2")]
    public async Task StartAsync_UnknownTlsMinVersion_ThrowsStartupException(string version)
    {
        using var dir = new TempDir();
        var (cert, key) = SelfSignedCertificate.WritePem(dir.Path);

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(
            new HttpServerOptions { Address = "127.0.0.1:0", Tls = true, TlsCert = cert, TlsKey = key, TlsMinVersion = version },
            new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.Contains(version, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_KeyNotMatchingCertificate_ThrowsStartupException()
    {
        using var dir = new TempDir();
        var (cert, _) = SelfSignedCertificate.WritePem(dir.Path);
        using var other = new TempDir();
        var (_, otherKey) = SelfSignedCertificate.WritePem(other.Path);

        var e = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.StartAsync(
            new HttpServerOptions { Address = "127.0.0.1:0", Tls = true, TlsCert = cert, TlsKey = otherKey },
            new TestFrontend(), NullLoggerFactory.Instance, new GatewayHostSettings(), CancellationToken.None));

        Assert.StartsWith("cannot load the TLS certificate", e.Message, StringComparison.Ordinal);
    }

    private static SocketsHttpHandler TrustingHandler(string thumbprint, SslProtocols protocols) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && string.Equals(presented.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase),
        },
    };
}
