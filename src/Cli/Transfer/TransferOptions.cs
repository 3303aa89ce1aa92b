namespace VfsGateway.Cli.Transfer;

/// <summary>The flags of one copy or sync.</summary>
/// <param name="Transfers">Files copied at the same time.</param>
/// <param name="DryRun">Decide and print, write nothing.</param>
/// <param name="DeleteExtraneous">Sync: delete destination files the source does not have.</param>
/// <param name="SizeOnly">Compare sizes only.</param>
internal sealed record TransferOptions(int Transfers, bool DryRun, bool DeleteExtraneous, bool SizeOnly)
{
    /// <summary>Attempts per file when the backend reports a transient error.</summary>
    public int Attempts { get; init; } = 3;
}
