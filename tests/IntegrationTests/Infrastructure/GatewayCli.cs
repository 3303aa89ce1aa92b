namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>One-shot `gateway …` commands (htpasswd, a serve that must refuse to start).</summary>
internal static class GatewayCli
{
    public static Task<ProcessResult> RunAsync(string[] args, string? standardInput = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(
            GatewayBinary.FileName,
            [.. GatewayBinary.LeadingArguments, .. args],
            new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" },
            timeout: timeout ?? TimeSpan.FromSeconds(90),
            standardInput: standardInput);
}
