using VfsGateway.Cli;
using VfsGateway.Cli.Remotes;

namespace VfsGateway.UnitTests.Cli.Remotes;

public sealed class IniFileTests
{
    [Fact]
    public void Parse_RcloneShapedFile_ReadsSectionsKeysAndSkipsComments()
    {
        const string text = """
            # a comment
            ; another comment
            [nas]
            type = sftp
            host = nas.lan
            Key-File = /home/me/.ssh/id
            pass = se#cret;x

            [mem]
            type=memory
              padded   =   value with spaces inside
            quoted = "  keep spaces  "
            single = 'x'
            """;

        var ini = IniFile.Parse(new StringReader(text), "test.conf");

        Assert.Equal(["nas", "mem"], ini.SectionNames);
        Assert.True(ini.TryGetSection("nas", out var nas));
        Assert.Equal("sftp", nas["type"]);
        Assert.Equal("nas.lan", nas["HOST"]);
        Assert.Equal("/home/me/.ssh/id", nas["key_file"]);
        Assert.Equal("se#cret;x", nas["pass"]);
        Assert.True(ini.TryGetSection("mem", out var mem));
        Assert.Equal("memory", mem["type"]);
        Assert.Equal("value with spaces inside", mem["padded"]);
        Assert.Equal("  keep spaces  ", mem["quoted"]);
        Assert.Equal("x", mem["single"]);
        Assert.False(ini.TryGetSection("NAS", out _));
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var ini = IniFile.Parse(new StringReader("\uFEFF[a]\ntype = memory\n"), "bom.conf");
        Assert.True(ini.TryGetSection("a", out _));
    }

    [Theory]
    [InlineData("type = sftp", 1, "before the first [section]")]
    [InlineData("[a]\ntype = x\n[a]\n", 3, "defined twice")]
    [InlineData("[a]\njust words\n", 2, "expected 'key = value'")]
    [InlineData("[a]\n= value\n", 2, "expected 'key = value'")]
    [InlineData("[a\n", 1, "malformed section header")]
    [InlineData("[]\n", 1, "malformed section header")]
    [InlineData("[a]\nk = 1\nK = 2\n", 3, "set twice")]
    [InlineData("[bad/name]\n", 1, "invalid remote name")]
    public void Parse_Malformed_NamesFileAndLine(string text, int line, string message)
    {
        var e = Assert.Throws<CliException>(() => IniFile.Parse(new StringReader(text), "g.conf"));
        Assert.StartsWith($"g.conf:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
