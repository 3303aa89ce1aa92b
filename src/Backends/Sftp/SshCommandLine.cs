using System.Diagnostics;

namespace VfsGateway.Backends.Sftp;

/// <summary>
/// The ssh invocation for one SFTP connection: `ssh [options] -s HOST sftp`, the way sshfs and
/// rclone's --sftp-ssh run it. The user's ssh_options go first because ssh keeps the first value
/// it sees for an option. Host keys are always checked, and nothing can prompt: BatchMode=yes,
/// or with a password a forced askpass (see <see cref="SftpAskpass"/>). The password never
/// appears in the arguments.
/// </summary>
internal static class SshCommandLine
{
    public static ProcessStartInfo Create(SftpOptions options)
    {
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        if (options.SshCommand is { } command)
        {
            var words = SftpOptions.SplitWords(command);
            start.FileName = words[0];
            foreach (var word in words.Skip(1))
            {
                start.ArgumentList.Add(word);
            }

            start.ArgumentList.Add("-s");
            start.ArgumentList.Add("sftp");
        }
        else
        {
            start.FileName = "ssh";
            AddArguments(start.ArgumentList, options);
        }

        // The option's env var must not leak into ssh (or whatever it runs) under its usual name.
        start.Environment.Remove("GATEWAY_SFTP_PASSWORD");
        if (options.Password is { } password)
        {
            start.Environment["SSH_ASKPASS"] = SftpAskpass.ProgramPath();
            start.Environment["SSH_ASKPASS_REQUIRE"] = "force";
            start.Environment[SftpAskpass.ModeVariable] = "1";
            start.Environment[SftpAskpass.PasswordVariable] = password;
            if (!start.Environment.ContainsKey("DISPLAY"))
            {
                // OpenSSH before 8.4 ignores SSH_ASKPASS_REQUIRE and wants DISPLAY set.
                start.Environment["DISPLAY"] = "none:0";
            }
        }

        return start;
    }

    private static void AddArguments(System.Collections.ObjectModel.Collection<string> args, SftpOptions options)
    {
        foreach (var option in options.SshOptions)
        {
            args.Add("-o");
            args.Add(option);
        }

        // No X11, agent or port forwarding; no pty.
        args.Add("-x");
        args.Add("-a");
        args.Add("-T");
        Option(args, "ClearAllForwardings=yes");

        // Each pooled connection is its own TCP connection, never a shared control master.
        Option(args, "ControlMaster=no");
        Option(args, "ControlPath=none");
        Option(args, "StrictHostKeyChecking=yes");
        if (options.KnownHostsFile is { } knownHosts)
        {
            Option(args, $"UserKnownHostsFile={Quote(knownHosts)}");
        }

        if (options.Password is null)
        {
            Option(args, "BatchMode=yes");
        }
        else
        {
            Option(args, "BatchMode=no");
            Option(args, "NumberOfPasswordPrompts=1");
        }

        if (options.KeyFile is { } key)
        {
            args.Add("-i");
            args.Add(key);
            Option(args, "IdentitiesOnly=yes");
        }

        Option(args, "ConnectTimeout=30");
        Option(args, "ServerAliveInterval=15");
        Option(args, "ServerAliveCountMax=4");
        if (options.Port is { } port)
        {
            args.Add("-p");
            args.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (options.User is { } user)
        {
            args.Add("-l");
            args.Add(user);
        }

        args.Add("-s");
        args.Add(options.Host);
        args.Add("sftp");
    }

    private static void Option(System.Collections.ObjectModel.Collection<string> args, string value)
    {
        args.Add("-o");
        args.Add(value);
    }

    /// <summary>ssh splits -o values on whitespace, so a file name with spaces is quoted.</summary>
    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
