using VfsGateway.Cli;

return await GatewayCli.RunAsync(args, CliEnvironment.System()).ConfigureAwait(false);
