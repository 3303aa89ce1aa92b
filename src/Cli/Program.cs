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

return await GatewayCli.RunAsync(args, CliEnvironment.System()).ConfigureAwait(false);
