using System.Net;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Http.Hosting;

namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

public sealed class ListenAddressTests
{
    [Fact]
    public void Parse_PortOnly_ListensOnAllInterfaces()
    {
        var a = ListenAddress.Parse(":8000");
        Assert.Equal(ListenAddressKind.AnyIP, a.Kind);
        Assert.Equal(8000, a.Port);
        Assert.Null(a.IP);
    }

    [Theory]
    [InlineData("127.0.0.1:8000", "127.0.0.1", 8000)]
    [InlineData("0.0.0.0:1", "0.0.0.0", 1)]
    [InlineData("[::1]:8000", "::1", 8000)]
    [InlineData("[::]:65535", "::", 65535)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void Parse_IpLiteral_KeepsAddressAndPort(string text, string ip, int port)
    {
        var a = ListenAddress.Parse(text);
        Assert.Equal(ListenAddressKind.IP, a.Kind);
        Assert.Equal(IPAddress.Parse(ip), a.IP);
        Assert.Equal(port, a.Port);
    }

    [Fact]
    public void Parse_Localhost_IsLoopbackKind()
    {
        var a = ListenAddress.Parse("localhost:8000");
        Assert.Equal(ListenAddressKind.Localhost, a.Kind);
        Assert.Equal(8000, a.Port);
    }

    [Fact]
    public void Parse_HostName_IsResolvedLater()
    {
        var a = ListenAddress.Parse("backup.example:8443");
        Assert.Equal(ListenAddressKind.HostName, a.Kind);
        Assert.Equal("backup.example", a.Host);
        Assert.Equal(8443, a.Port);
    }

    [Fact]
    public void Parse_UnixSocket_KeepsPath()
    {
        var a = ListenAddress.Parse("unix:/run/gateway/rest.sock");
        Assert.Equal(ListenAddressKind.Unix, a.Kind);
        Assert.Equal("/run/gateway/rest.sock", a.SocketPath);
        Assert.Equal("unix:/run/gateway/rest.sock", a.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("8000")]
    [InlineData("127.0.0.1")]
    [InlineData(":")]
    [InlineData(":65536")]
    [InlineData(":-1")]
    [InlineData(":http")]
    [InlineData("::1:8000")]
    [InlineData("[::1:8000")]
    [InlineData("[127.0.0.1]:8000")]
    [InlineData("unix:")]
    [InlineData("bad host:80")]
    [InlineData("1.2:80")]
    public void Parse_Invalid_ThrowsStartupExceptionNamingTheAddress(string text)
    {
        var e = Assert.Throws<GatewayStartupException>(() => ListenAddress.Parse(text));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ToString_RoundTripsTcpForms()
    {
        Assert.Equal(":8000", ListenAddress.Parse(":8000").ToString());
        Assert.Equal("[::1]:80", ListenAddress.Parse("[::1]:80").ToString());
        Assert.Equal("127.0.0.1:80", ListenAddress.Parse("127.0.0.1:80").ToString());
    }
}
