namespace VfsGateway.Frontends.Restic;

/// <summary>
/// One storage limit: at most <paramref name="Bytes"/> below <paramref name="Scope"/> (a path
/// prefix at folder boundaries, "" for the whole remote). <paramref name="Name"/> is how the 507
/// answer and the log name it: "--max-size", "user alice", "repository /alice/laptop".
/// </summary>
internal sealed record QuotaLimit(string Scope, long Bytes, string Name)
{
    public override string ToString() => $"the quota of {Name} ({Http.ByteSize.FormatExact(Bytes)})";
}
