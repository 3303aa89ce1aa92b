using System.CommandLine;
using VfsGateway.Cli.Parsing;
using VfsGateway.Frontends.Http;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// rclone's VFS flags (same names and defaults), shared by every serve command. Values are kept as
/// the text the user typed (so --help shows "5s", not "00:00:05") and validated by the parser.
/// </summary>
internal sealed class VfsFlags
{
    private readonly Option<string> _cacheMode = Text(
        "--vfs-cache-mode",
        "Cache mode: off (stream to and from the backend), writes (acknowledge once in the local cache, upload in the background), full (also cache reads)",
        "off|writes|full",
        "off");

    private readonly Option<string> _cacheDir = Text("--cache-dir", "Directory for the VFS cache", "dir", VfsOptions.Default.CacheDir);
    private readonly Option<string> _writeBack = DurationFlag("--vfs-write-back", "How long a written file waits in the cache before its upload starts (writes/full)", "5s");
    private readonly Option<string> _maxSize = SizeFlag("--vfs-cache-max-size", "Evict clean cached data beyond this size (500M, 10G); off = no limit", "off");
    private readonly Option<string> _maxAge = DurationFlag("--vfs-cache-max-age", "Clean cached data not used for this long is evicted", "1h");
    private readonly Option<string> _pollInterval = DurationFlag("--vfs-cache-poll-interval", "How often the cache is checked for eviction", "1m");
    private readonly Option<string> _readChunkSize = SizeFlag("--vfs-read-chunk-size", "In mode full, missing data is fetched in chunks of at least this size", "4M");
    private readonly Option<string> _bwLimit = BandwidthFlag();
    private readonly Option<string> _dirCacheTime;
    private readonly Option<int> _transfers = new("--transfers")
    {
        Description = "Background uploads running at the same time (writes/full)",
        HelpName = "n",
        DefaultValueFactory = _ => VfsOptions.Default.Transfers,
    };

    /// <param name="dirCacheDefault">The --dir-cache-time default of this command ("5m" is rclone's VFS default).</param>
    /// <param name="dirCacheHelp">Why this command has that default.</param>
    public VfsFlags(string dirCacheDefault, string dirCacheHelp)
    {
        _cacheMode.AcceptOnlyFromAmong("off", "writes", "full");
        _dirCacheTime = DurationFlag("--dir-cache-time", "How long directory listings are served from memory; 0 turns the cache off. " + dirCacheHelp, dirCacheDefault);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _cacheMode, _cacheDir, _writeBack, _maxSize, _maxAge, _pollInterval, _readChunkSize, _dirCacheTime, _transfers, _bwLimit })
        {
            command.Add(option);
        }
    }

    public VfsOptions Options(ParseResult parse, string remoteName) => new()
    {
        CacheMode = Enum.Parse<VfsCacheMode>(parse.GetValue(_cacheMode)!, ignoreCase: true),
        CacheDir = parse.GetValue(_cacheDir)!,
        RemoteName = remoteName,
        WriteBack = ParseDuration(parse.GetValue(_writeBack)),
        CacheMaxSize = parse.GetValue(_maxSize) is "off" or "0" ? null : ParseSize(parse.GetValue(_maxSize)),
        CacheMaxAge = ParseDuration(parse.GetValue(_maxAge)),
        CachePollInterval = ParseDuration(parse.GetValue(_pollInterval)),
        ReadChunkSize = ParseSize(parse.GetValue(_readChunkSize)),
        DirCacheTime = ParseDuration(parse.GetValue(_dirCacheTime)),
        Transfers = parse.GetValue(_transfers),
        BwLimit = BandwidthLimit.TryParse(parse.GetValue(_bwLimit), out var limit, out var error) ? limit : throw CliException.Usage(error),

        // Leftovers of uploads a crash interrupted go at startup and then hourly (issue 12).
        TempSweepInterval = TimeSpan.FromHours(1),
    };

    private static Option<string> Text(string name, string description, string helpName, string defaultValue) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
    };

    private static Option<string> DurationFlag(string name, string description, string defaultValue)
    {
        var option = Text(name, description, "duration", defaultValue);
        option.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && !Duration.TryParse(v, out _, out var error))
            {
                result.AddError($"{name}: {error}");
            }
        });
        return option;
    }

    private static Option<string> SizeFlag(string name, string description, string defaultValue)
    {
        var option = Text(name, description, "size", defaultValue);
        option.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && v != "off" && !ByteSize.TryParse(v, out _, out var error))
            {
                result.AddError($"{name}: {error}");
            }
        });
        return option;
    }

    private static Option<string> BandwidthFlag()
    {
        var option = Text(
            "--bwlimit",
            "Bandwidth limit to and from the backend, all transfers together: RATE or UP:DOWN per second, e.g. 10M (MiB/s; a bare number is KiB/s) or 10M:100M; reads from the VFS cache are not limited; off = no limit",
            "rate",
            "off");
        option.Validators.Add(result =>
        {
            if (result.Tokens.SingleOrDefault()?.Value is { } v && !BandwidthLimit.TryParse(v, out _, out var error))
            {
                result.AddError(error);
            }
        });
        return option;
    }

    private static TimeSpan ParseDuration(string? text) =>
        Duration.TryParse(text, out var d, out var error) ? d : throw CliException.Usage(error);

    private static long ParseSize(string? text) =>
        ByteSize.TryParse(text, out var bytes, out var error) ? bytes : throw CliException.Usage(error);
}
