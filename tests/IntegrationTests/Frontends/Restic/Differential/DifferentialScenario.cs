namespace VfsGateway.IntegrationTests.Frontends.Restic.Differential;

/// <summary>
/// A request sequence and the flags both servers get (the same flag names: the gateway accepts
/// rest-server's). <paramref name="Users"/> go into one htpasswd file both servers read; without
/// users both run with --no-auth, unless <paramref name="NoAuth"/> is false. <paramref name="GatewayOnlyFlags"/>
/// are flags rest-server does not have (e.g. --trusted-proxy, which the gateway requires).
/// </summary>
internal sealed record DifferentialScenario(string Name, string[] Flags, (string User, string Password)[] Users, DifferentialStep[] Steps)
{
    public string[] GatewayOnlyFlags { get; init; } = [];

    public bool NoAuth { get; init; } = true;

    public override string ToString() => Name;
}
