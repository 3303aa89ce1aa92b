using VfsGateway.Backends.Ftp.Protocol;

namespace VfsGateway.UnitTests.Backends.Ftp;

public sealed class FtpReplyParserTests
{
    [Fact]
    public void Add_SingleLine_CompletesAtOnce()
    {
        var reply = new FtpReplyParser().Add("230 Login successful.");

        Assert.NotNull(reply);
        Assert.Equal(230, reply.Code);
        Assert.Equal("Login successful.", reply.Message);
    }

    [Fact]
    public void Add_CodeWithoutText_CompletesWithEmptyMessage()
    {
        var reply = new FtpReplyParser().Add("200");

        Assert.Equal((200, string.Empty), (reply!.Code, reply.Message));
    }

    [Fact]
    public void Add_PureFtpdMultiLineGreeting_EndsAtCodeAndSpace()
    {
        var parser = new FtpReplyParser();
        string[] lines =
        [
            "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------",
            "220-You are user number 1 of 10 allowed.",
            "220-Local time is now 08:06. Server port: 37355.",
            "220 You will be disconnected after 15 minutes of inactivity.",
        ];

        var replies = lines.Select(parser.Add).ToList();

        Assert.All(replies.Take(3), Assert.Null);
        var reply = Assert.IsType<FtpReply>(replies[3]);
        Assert.Equal(220, reply.Code);
        Assert.Equal(4, reply.Lines.Count);
        Assert.Equal("You are user number 1 of 10 allowed.", reply.Lines[1]);
    }

    [Fact]
    public void Add_FeatReply_KeepsIndentedLinesAndFeaturesParse()
    {
        var parser = new FtpReplyParser();
        FtpReply? reply = null;
        foreach (var line in new[] { "211-Features:", " EPRT", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " TVFS", " UTF8", " MLST type*;size*;modify*;", "211 End" })
        {
            reply = parser.Add(line);
        }

        Assert.NotNull(reply);
        var features = FtpSession.ParseFeatures(reply);
        Assert.Equal(["EPRT", "EPSV", "MDTM", "MLST", "PASV", "REST", "SIZE", "TVFS", "UTF8"], features.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Add_MultiLineBodyThatStartsWithOtherCode_DoesNotEndTheReply()
    {
        var parser = new FtpReplyParser();

        Assert.Null(parser.Add("250-Listing /dir"));
        Assert.Null(parser.Add("230 this line is data, not the end"));
        Assert.Null(parser.Add(" type=dir;modify=20260101000000; /dir"));
        var reply = parser.Add("250 End");

        Assert.Equal(250, reply!.Code);
        Assert.Equal(" type=dir;modify=20260101000000; /dir", reply.Lines[2]);
    }

    [Fact]
    public void Add_SecondReplyAfterFirst_ParsesIndependently()
    {
        var parser = new FtpReplyParser();
        parser.Add("150 Opening BINARY mode data connection.");

        Assert.Equal(226, parser.Add("226 Transfer complete.")!.Code);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("99 too short")]
    [InlineData("600 out of range")]
    [InlineData("2300 four digits")]
    public void Add_Garbage_ThrowsProtocolError(string line)
    {
        Assert.Throws<FtpProtocolException>(() => new FtpReplyParser().Add(line));
    }

    [Theory]
    [InlineData("Entering Extended Passive Mode (|||6446|)", 6446)]
    [InlineData("Entering Extended Passive Mode (!!!50000!)", 50000)]
    public void ParseEpsv_Rfc2428Reply_ReturnsPort(string message, int port) =>
        Assert.Equal(port, FtpSession.ParseEpsv(message));

    [Theory]
    [InlineData("Entering Passive Mode (127,0,0,1,156,66).", 40002)]
    [InlineData("Entering Passive Mode 10,0,0,5,4,1", 1025)]
    public void ParsePasv_Reply_ReturnsPort(string message, int port) =>
        Assert.Equal(port, FtpSession.ParsePasv(message));

    [Theory]
    [InlineData("\"/home/user\" is the current directory", "/home/user")]
    [InlineData("\"/a \"\"quoted\"\" dir\" created", "/a \"quoted\" dir")]
    [InlineData("no quotes", null)]
    public void ParsePwd_257Reply_ReturnsPath(string message, string? path) =>
        Assert.Equal(path, FtpSession.ParsePwd(message));
}
