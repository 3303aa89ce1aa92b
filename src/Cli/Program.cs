using VfsGateway.Backends.Sftp;
using VfsGateway.Cli;

// ssh runs this binary as its SSH_ASKPASS program for password logins (see SftpAskpass): answer
// the prompt and exit before anything else starts.
if (SftpAskpass.IsInvocation())
{
    return SftpAskpass.Run(args, Console.Out);
}

// Only the apphost can be exec'd by ssh directly; under `dotnet gateway.dll` the backend writes a
// small askpass script instead.
if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "gateway")
{
    SftpAskpass.GatewayExecutable = self;
}

// EXPERIMENT (h-i13): thread-pool minimum from the environment, to A/B against the csproj's 16.
if (int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_EXP_MINTHREADS"), out var expMin) && expMin > 0)
{
    ThreadPool.SetMinThreads(expMin, expMin);
}

return await GatewayCli.RunAsync(args, CliEnvironment.System()).ConfigureAwait(false);
