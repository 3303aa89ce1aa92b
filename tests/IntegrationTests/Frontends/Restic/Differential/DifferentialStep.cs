namespace VfsGateway.IntegrationTests.Frontends.Restic.Differential;

/// <summary>
/// One request of the differential corpus, sent alike to rest-server 0.14.0 and the gateway.
/// <paramref name="Intended"/> marks a step where the gateway is meant to answer differently
/// (the reason is also a row of docs/restic.md's "Differences from rest-server"): then the
/// gateway must answer <paramref name="GatewayStatus"/> and rest-server is not compared.
/// </summary>
internal sealed record DifferentialStep(
    string Method,
    string Path,
    byte[]? Body = null,
    string? Range = null,
    string? Accept = null,
    string? User = null,
    string? Password = null,
    string? Intended = null,
    int GatewayStatus = 0)
{
    public override string ToString() =>
        $"{Method} {Path}{(Range is null ? string.Empty : " Range:" + Range)}{(Accept is null ? string.Empty : " Accept:" + Accept)}{(User is null ? string.Empty : $" as {User}:{Password}")}";
}
