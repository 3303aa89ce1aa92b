using Microsoft.Extensions.Logging;
using VfsGateway.Vfs;

namespace VfsGateway.Backends.Local;

/// <summary>
/// Decides once, at startup, where the local backend keeps object metadata: in a user extended
/// attribute where the file system takes one, else in the Vfs's sidecar records. The decision is
/// logged, because it decides where an operator finds the metadata.
/// </summary>
internal static partial class LocalXattrProbe
{
    private const string ProbeAttribute = "user.vfsgateway.probe";

    public static bool Decide(LocalOptions options, ILogger logger)
    {
        if (options.NoXattr)
        {
            LogSidecar(logger, options.Root, "--local-no-xattr is set");
            return false;
        }

        if (!LocalXattr.IsAvailable)
        {
            LogSidecar(logger, options.Root, "extended attributes are only used on Linux");
            return false;
        }

        var errno = Probe(options.Root);
        if (errno != 0)
        {
            var reason = LocalXattr.Describe(errno);
            LogSidecar(logger, options.Root, reason);
            return false;
        }

        LogXattr(logger, options.Root);
        return true;
    }

    /// <summary>0 when user attributes work under <paramref name="root"/>, else the errno that says they do not.</summary>
    private static int Probe(string root)
    {
        if (Directory.Exists(root))
        {
            // A real write on a file of our own, named like a temporary upload so that the startup
            // sweep removes it should the process die right here.
            var probe = Path.Combine(root, TempNames.For(VfsPath.Parse("xattr-probe")).Name);
            try
            {
                using (var file = File.OpenHandle(probe, FileMode.CreateNew, FileAccess.Write))
                {
                    return LocalXattr.Set(file, ProbeAttribute, "1"u8);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Read-only or not ours to write: the directory itself answers below.
            }
            finally
            {
                try
                {
                    File.Delete(probe);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        // The root is created on the first write: ask the nearest existing ancestor, which lies on
        // the same file system unless a mount point is still to appear. ENODATA means "supported,
        // not set"; EOPNOTSUPP means the file system has no user attributes.
        var existing = root;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { Length: > 0 } parent)
        {
            existing = parent;
        }

        _ = LocalXattr.Get(existing, ProbeAttribute, out var errno);
        return errno == LocalXattr.NotSupported ? errno : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "local backend {Root}: object metadata in extended attributes ({Attribute})")]
    private static partial void LogXattrCore(ILogger logger, string root, string attribute);

    private static void LogXattr(ILogger logger, string root) => LogXattrCore(logger, root, LocalBackend.MetadataAttribute);

    [LoggerMessage(Level = LogLevel.Information, Message = "local backend {Root}: object metadata in sidecar records under .gateway-meta ({Reason})")]
    private static partial void LogSidecar(ILogger logger, string root, string reason);
}
