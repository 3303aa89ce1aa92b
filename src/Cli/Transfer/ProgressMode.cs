namespace VfsGateway.Cli.Transfer;

/// <summary>How much a transfer prints on stderr.</summary>
internal enum ProgressMode
{
    /// <summary>-q: errors only.</summary>
    Quiet,

    /// <summary>stderr is not a terminal: errors and one summary line at the end.</summary>
    Summary,

    /// <summary>A terminal (or --progress): a live status line, a line per file, the summary.</summary>
    Live,
}
