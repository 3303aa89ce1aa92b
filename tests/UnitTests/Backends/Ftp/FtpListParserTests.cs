using VfsGateway.Backends.Ftp.Protocol;

namespace VfsGateway.UnitTests.Backends.Ftp;

/// <summary>LIST and MLSD lines as the real servers print them (captured from vsftpd 3.0.3, pure-ftpd 1.0.50, proftpd and IIS).</summary>
public sealed class FtpListParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("-rw-r--r--    1 1001     1001           17 Dec 05 07:30 plain.txt", "plain.txt", 17L)]
    [InlineData("-rw-r--r--    1 1001     1001           17 Dec 05 07:30  leading and trailing ", " leading and trailing ", 17L)]
    [InlineData("-rw-r--r--    1 1001     1001           17 Dec 05 07:30 ünïcödé-名前-Ελληνικά", "ünïcödé-名前-Ελληνικά", 17L)]
    [InlineData("-rw-r--r--    1 1001     1001           17 Dec 05 07:30 emoji-😀-🎉", "emoji-😀-🎉", 17L)]
    [InlineData("-rw-r--r--    1 gwftpconf  gwftpconf          3 Dec  5 08:06 a_", "a_", 3L)]
    [InlineData("-rw-r--r--   1 ftp      ftp          1234 Jan  1  2020 file.txt", "file.txt", 1234L)]
    [InlineData("-rw-r--r--   1 owner  1234 Jan 1 2020 no group column.txt", "no group column.txt", 1234L)]
    [InlineData("-rw-r--r--    1 1001     1001   5368709120 Dec 05 07:30 big", "big", 5368709120L)]
    public void ParseList_UnixFile_NameAndSize(string line, string name, long size)
    {
        var entry = FtpListParser.ParseList(line, Now);

        Assert.NotNull(entry);
        Assert.Equal((name, FtpEntryKind.File, size), (entry.Name, entry.Kind, entry.Size));
    }

    [Fact]
    public void ParseList_VsftpdDirectoryWithSpaces_IsDirectory()
    {
        var entry = FtpListParser.ParseList("drwxr-xr-x    2 1001     1001         4096 Dec 05 07:30 dir with space", Now);

        Assert.Equal(("dir with space", FtpEntryKind.Directory, 0L), (entry!.Name, entry.Kind, entry.Size));
    }

    [Fact]
    public void ParseList_Symlink_SplitsNameAndTarget()
    {
        var entry = FtpListParser.ParseList("lrwxrwxrwx    1 1001     1001            4 Dec 05 07:30 to file -> real file", Now);

        Assert.Equal(("to file", FtpEntryKind.Symlink, "real file"), (entry!.Name, entry.Kind, entry.LinkTarget));
    }

    [Fact]
    public void ParseList_RecentDate_IsThisYearAtThatMinute()
    {
        var entry = FtpListParser.ParseList("-rw-r--r--    1 1001     1001           17 Dec 05 07:30 f", Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 7, 30, 0, TimeSpan.Zero), entry!.ModTime);
    }

    [Fact]
    public void ParseList_RecentDateLaterThanNow_IsLastYear()
    {
        var entry = FtpListParser.ParseList("-rw-r--r--    1 1001     1001           17 Dec 24 10:00 f", new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 24, 10, 0, 0, TimeSpan.Zero), entry!.ModTime);
    }

    [Fact]
    public void ParseList_OldDate_HasYearAndMidnight()
    {
        var entry = FtpListParser.ParseList("-rw-r--r--    1 1001     1001      9449517 Feb 03  2001 old", Now);

        Assert.Equal(new DateTimeOffset(2001, 2, 3, 0, 0, 0, TimeSpan.Zero), entry!.ModTime);
    }

    [Theory]
    [InlineData("total 12")]
    [InlineData("drwxr-xr-x    2 1001     1001         4096 Dec 05 07:30 .")]
    [InlineData("drwxr-xr-x    3 0        0            4096 Dec 05 07:30 ..")]
    [InlineData("crw-rw-rw-    1 0        0          1,   3 Dec 05 07:30 null")]
    [InlineData("")]
    [InlineData("-rw-r--r-- garbage")]
    public void ParseList_NothingUsable_ReturnsNull(string line) =>
        Assert.Null(FtpListParser.ParseList(line, Now));

    [Theory]
    [InlineData("12-05-26  07:30AM       <DIR>          My Documents", "My Documents", true, 0L, 2026, 7)]
    [InlineData("01-15-2020  11:59PM              1048576 report 2020.pdf", "report 2020.pdf", false, 1048576L, 2020, 23)]
    [InlineData("2026-12-05  19:30       <DIR>          iso dates", "iso dates", true, 0L, 2026, 19)]
    [InlineData("12-05-26  07:30PM                 1,234 with thousands.txt", "with thousands.txt", false, 1234L, 2026, 19)]
    public void ParseList_IisDosLines_Parse(string line, string name, bool isDirectory, long size, int year, int hour)
    {
        var entry = FtpListParser.ParseList(line, Now);

        Assert.NotNull(entry);
        Assert.Equal((name, isDirectory ? FtpEntryKind.Directory : FtpEntryKind.File, size), (entry.Name, entry.Kind, entry.Size));
        Assert.Equal((year, hour), (entry.ModTime!.Value.Year, entry.ModTime.Value.Hour));
    }

    [Fact]
    public void ParseMlsd_PureFtpdFile_FactsAndName()
    {
        var entry = FtpListParser.ParseMlsd("type=file;size=3;modify=20261205080600;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=803g2c; name with; semicolon and space ");

        Assert.Equal(("name with; semicolon and space ", FtpEntryKind.File, 3L), (entry!.Name, entry.Kind, entry.Size));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 6, 0, TimeSpan.Zero), entry.ModTime);
    }

    [Fact]
    public void ParseMlsd_Directory_SizdIgnored()
    {
        var entry = FtpListParser.ParseMlsd("type=dir;sizd=4096;modify=20261205080600;UNIX.mode=0755; ü 名");

        Assert.Equal(("ü 名", FtpEntryKind.Directory, 0L), (entry!.Name, entry.Kind, entry.Size));
    }

    [Theory]
    [InlineData("type=cdir;sizd=4096;modify=20261205080600; .")]
    [InlineData("type=pdir;sizd=4096;modify=20261205080600; ..")]
    [InlineData("no facts here")]
    public void ParseMlsd_CurrentParentOrGarbage_ReturnsNull(string line) =>
        Assert.Null(FtpListParser.ParseMlsd(line));

    [Fact]
    public void ParseMlsd_MlstOfDirectoryAsCdir_IsDirectoryWhenAccepted()
    {
        var entry = FtpListParser.ParseMlsd("type=cdir;modify=20261205080600; /srv/data/dir", acceptCurrentDir: true);

        Assert.Equal(("dir", FtpEntryKind.Directory), (entry!.Name, entry.Kind));
    }

    [Fact]
    public void ParseMlsd_UnixSymlinkType_IsSymlink()
    {
        var entry = FtpListParser.ParseMlsd("type=OS.unix=slink:/srv/target;modify=20261205080600; link");

        Assert.Equal(FtpEntryKind.Symlink, entry!.Kind);
    }

    [Theory]
    [InlineData("20261205080600", 0)]
    [InlineData("20261205080600.5", 500)]
    [InlineData("20261205080600.123", 123)]
    public void ParseTimeVal_Rfc3659_IsUtcWithFraction(string value, int milliseconds) =>
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 6, 0, TimeSpan.Zero).AddMilliseconds(milliseconds), FtpListParser.ParseTimeVal(value));
}
