namespace VfsGateway.IntegrationTests.Frontends.Restic.Differential;

/// <summary>
/// A request sequence and the flags both servers get (the same flag names: the gateway accepts
/// rest-server's). <paramref name="Users"/> go into one htpasswd file both servers read; without
/// users both run with --no-auth.
/// </summary>
internal sealed record DifferentialScenario(string Name, string[] Flags, (string User, string Password)[] Users, DifferentialStep[] Steps)
{
    public override string ToString() => Name;
}
