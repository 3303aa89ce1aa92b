using VfsGateway.Cli;

namespace VfsGateway.TestSupport;

/// <summary>Runs the CLI in-process with captured streams, a fake environment and <see cref="TestRegistry"/>.</summary>
internal sealed class CliHarness
{
    public TestRegistry Backends { get; } = new();

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal) { ["HOME"] = "/nonexistent-home-for-tests" };

    public CapturingWriter Out { get; } = new();

    public CapturingWriter Error { get; } = new();

    public string Input { get; set; } = string.Empty;

    public bool Interactive { get; set; }

    public Queue<string?> SecretLines { get; } = new();

    /// <summary>The bits serve restic added to the umask (recorded, not applied: the umask is the whole test process's).</summary>
    public int? UmaskBits { get; private set; }

    public CliEnvironment Environment => new()
    {
        Out = Out,
        Error = Error,
        In = new StringReader(Input),
        GetEnvironmentVariable = name => Env.GetValueOrDefault(name),
        Registry = Backends.Registry,
        IsInteractive = Interactive,
        ReadSecretLine = () => SecretLines.Count > 0 ? SecretLines.Dequeue() : null,
        RestrictUmask = bits => UmaskBits = bits,
    };

    public Task<int> RunAsync(params string[] args) => GatewayCli.RunAsync(args, Environment);

    public Task<int> RunAsync(CancellationToken cancellationToken, params string[] args) => GatewayCli.RunAsync(args, Environment, cancellationToken);
}
