using Microsoft.Extensions.Logging;
using VfsGateway.Frontends.Http;
using VfsGateway.Frontends.Restic;
using VfsGateway.Vfs;

namespace VfsGateway.Cli.Commands;

/// <summary>Creates the restic frontend (a seam until the frontend lands on this branch).</summary>
internal static class ResticFrontendFactory
{
    public static IHttpFrontend Create(VirtualFileSystem vfs, ResticOptions options, ILoggerFactory loggerFactory) =>
        throw new CliException("the restic frontend is not built into this gateway yet");
}
