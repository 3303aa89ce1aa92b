using System.CommandLine;
using VfsGateway.Cli.Commands;
using VfsGateway.Vfs;

namespace VfsGateway.UnitTests.Cli.Commands;

public sealed class VfsFlagsTests
{
    [Fact]
    public void Options_Defaults_AreRclones()
    {
        var (command, flags) = Build("5m");
        var options = flags.Options(command.Parse(string.Empty), "memory:");
        Assert.Equal(VfsCacheMode.Off, options.CacheMode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.WriteBack);
        Assert.Equal(TimeSpan.FromHours(1), options.CacheMaxAge);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CachePollInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.DirCacheTime);
        Assert.Null(options.CacheMaxSize);
        Assert.Equal(4, options.Transfers);
        Assert.Equal(4L << 20, options.ReadChunkSize);
        Assert.Equal("memory:", options.RemoteName);
        Assert.True(options.BwLimit.IsOff);
    }

    [Fact]
    public void Options_BwLimit_IsParsedTheRcloneWay()
    {
        var (command, flags) = Build("0s");
        var parse = command.Parse("--bwlimit 10M:512k");
        Assert.Empty(parse.Errors);

        var options = flags.Options(parse, "x:");

        Assert.Equal(10L << 20, options.BwLimit.UploadBytesPerSecond);
        Assert.Equal(512L << 10, options.BwLimit.DownloadBytesPerSecond);
    }

    [Fact]
    public void Options_Given_AreParsed()
    {
        var (command, flags) = Build("0s");
        var parse = command.Parse("--vfs-cache-mode writes --vfs-write-back 250ms --vfs-cache-max-size 2G --dir-cache-time 1m30s --transfers 8 --cache-dir /tmp/c");
        Assert.Empty(parse.Errors);
        var options = flags.Options(parse, "x:");
        Assert.Equal(VfsCacheMode.Writes, options.CacheMode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WriteBack);
        Assert.Equal(2L << 30, options.CacheMaxSize);
        Assert.Equal(TimeSpan.FromSeconds(90), options.DirCacheTime);
        Assert.Equal(8, options.Transfers);
        Assert.Equal("/tmp/c", options.CacheDir);
    }

    [Theory]
    [InlineData("--vfs-cache-mode sometimes")]
    [InlineData("--vfs-write-back 5x")]
    [InlineData("--vfs-cache-max-size lots")]
    [InlineData("--bwlimit 10Q")]
    [InlineData("--bwlimit 1M:2M:3M")]
    public void Parse_BadValue_IsAUsageError(string args)
    {
        var (command, _) = Build("5m");
        Assert.NotEmpty(command.Parse(args).Errors);
    }

    private static (RootCommand Command, VfsFlags Flags) Build(string dirCacheDefault)
    {
        var flags = new VfsFlags(dirCacheDefault, "test");
        var command = new RootCommand();
        flags.AddTo(command);
        return (command, flags);
    }
}
