using VfsGateway.Cli;
using VfsGateway.Cli.Remotes;

namespace VfsGateway.UnitTests.Cli.Remotes;

public sealed class RemoteParserTests
{
    [Theory]
    [InlineData("/srv/restic")]
    [InlineData("./data")]
    [InlineData("data")]
    [InlineData("relative/dir")]
    [InlineData("/srv/a:b")]
    [InlineData("./x:y")]
    [InlineData("../up")]
    [InlineData("-weird:name")]
    [InlineData("bad*name:x")]
    public void Parse_NoRemotePrefix_IsBareLocalPath(string text)
    {
        var r = RemoteParser.Parse(text);
        Assert.True(r.IsBarePath);
        Assert.False(r.IsInline);
        Assert.Equal("local", r.Name);
        Assert.Equal(text, r.Path);
        Assert.Empty(r.Options);
    }

    [Theory]
    [InlineData("local:/path", "local", "/path")]
    [InlineData("memory:", "memory", "")]
    [InlineData("memory:sub/dir", "memory", "sub/dir")]
    [InlineData("sftp:user@host:22/path", "sftp", "user@host:22/path")]
    [InlineData("my nas:backup", "my nas", "backup")]
    [InlineData("b2.eu-1:bucket", "b2.eu-1", "bucket")]
    public void Parse_NamePrefix_SplitsAtFirstColon(string text, string name, string path)
    {
        var r = RemoteParser.Parse(text);
        Assert.False(r.IsBarePath);
        Assert.False(r.IsInline);
        Assert.Equal(name, r.Name);
        Assert.Equal(path, r.Path);
    }

    [Fact]
    public void Parse_Inline_ReadsTypeOptionsAndPath()
    {
        var r = RemoteParser.Parse(":sftp,host=nas,port=2222:backup/restic");
        Assert.True(r.IsInline);
        Assert.Equal("sftp", r.Name);
        Assert.Equal("backup/restic", r.Path);
        Assert.Equal("nas", r.Options["host"]);
        Assert.Equal("2222", r.Options["port"]);
    }

    [Fact]
    public void Parse_InlineWithoutOptions_HasEmptyPath()
    {
        var r = RemoteParser.Parse(":memory:");
        Assert.True(r.IsInline);
        Assert.Equal("memory", r.Name);
        Assert.Equal(string.Empty, r.Path);
    }

    [Theory]
    [InlineData(":fake,key2='v:2':p", "v:2")]
    [InlineData(":fake,key2='a,b:c':p", "a,b:c")]
    [InlineData(":fake,key2=\"d:e,f\":p", "d:e,f")]
    [InlineData(":fake,key2='it''s':p", "it's")]
    [InlineData(":fake,key2=\"say \"\"hi\"\"\":p", "say \"hi\"")]
    [InlineData(":fake,key2='':p", "")]
    [InlineData(":fake,key2=:p", "")]
    [InlineData(":fake,key2=a=b:p", "a=b")]
    public void Parse_QuotedValues_MayContainDelimiters(string text, string value)
    {
        var r = RemoteParser.Parse(text);
        Assert.Equal(value, r.Options["key2"]);
        Assert.Equal("p", r.Path);
    }

    [Fact]
    public void Parse_KeyWithoutValue_MeansTrue_AndDashesBecomeUnderscores()
    {
        var r = RemoteParser.Parse(":fake,fast-mode,key-file=/k:p");
        Assert.Equal("true", r.Options["fast_mode"]);
        Assert.Equal("/k", r.Options["key_file"]);
    }

    [Fact]
    public void Parse_NamedRemoteWithOptions_KeepsNameAndOptions()
    {
        var r = RemoteParser.Parse("nas,port=2200:backup");
        Assert.False(r.IsInline);
        Assert.Equal("nas", r.Name);
        Assert.Equal("2200", r.Options["port"]);
        Assert.Equal("backup", r.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData("::")]
    [InlineData(":memory")]
    [InlineData(":,a=b:")]
    [InlineData(":memory,=x:")]
    [InlineData(":memory,a b=x:")]
    [InlineData(":memory,a='unterminated:")]
    [InlineData(":memory,a='x'y:")]
    [InlineData(":memory,a=x'y:")]
    [InlineData(":memory,a=1,a=2:")]
    [InlineData(":memory,a=b")]
    [InlineData("nas,a=b")]
    public void Parse_Malformed_ThrowsUsageError(string text)
    {
        var e = Assert.Throws<CliException>(() => RemoteParser.Parse(text));
        Assert.Equal(2, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
    }
}
