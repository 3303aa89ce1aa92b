using System.Runtime.InteropServices;

namespace VfsGateway.Cli.Commands;

/// <summary>
/// The process umask. rest-server creates repository files 0600 and directories 0700 (0660/0770
/// with --group-accessible-repos), still subject to the umask; .NET creates them 0666/0777, so
/// adding the missing bits to the umask gives exactly rest-server's modes.
/// </summary>
internal static class ProcessUmask
{
    /// <summary>Adds <paramref name="bits"/> (e.g. 077) to the umask; returns the umask now in force. No-op off Unix.</summary>
    public static int Restrict(int bits)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return 0;
        }

        // umask() can only be read by setting it: set, then set again with the wanted bits added.
        var current = SetUmask(0);
        var wanted = current | bits;
        _ = SetUmask(wanted);
        return wanted;
    }

    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetUmask(int mask);
}
