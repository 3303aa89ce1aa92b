using VfsGateway.Frontends.Http;

namespace VfsGateway.UnitTests.Frontends.Http;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/b/k%2Fx?a=1&b", "/b/k%2Fx", "a=1&b")]
    [InlineData("/b/k", "/b/k", "")]
    [InlineData("/b/k?", "/b/k", "")]
    [InlineData("/a#frag", "/a", "")]
    [InlineData("http://127.0.0.1:8000/a/config?x", "/a/config", "x")]
    [InlineData("http://127.0.0.1:8000", "/", "")]
    [InlineData("http://h?q=1", "/", "q=1")]
    public void TrySplit_OriginOrAbsoluteForm_RawPathAndQuery(string target, string path, string query)
    {
        Assert.True(RequestTarget.TrySplit(target, out var p, out var q));
        Assert.Equal(path, p.ToString());
        Assert.Equal(query, q.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("example.com:443")]
    public void TrySplit_OtherForms_False(string? target) =>
        Assert.False(RequestTarget.TrySplit(target, out _, out _));
}
