namespace VfsGateway.IntegrationTests.Infrastructure;

/// <summary>Apache's real `htpasswd` (apache2-utils): the reference that produces and checks the hashes.</summary>
internal static class ApacheHtpasswd
{
    /// <summary>Adds or replaces <paramref name="user"/> with a bcrypt ($2y$) hash of the given cost.</summary>
    public static Task AddBcryptAsync(string file, string user, string password, int cost = 5) =>
        RunAsync(file, ["-B", "-C", cost.ToString(System.Globalization.CultureInfo.InvariantCulture)], user, password);

    /// <summary>Adds or replaces <paramref name="user"/> with a {SHA} (base64 SHA-1) hash.</summary>
    public static Task AddShaAsync(string file, string user, string password) => RunAsync(file, ["-s"], user, password);

    /// <summary>Adds or replaces <paramref name="user"/> with Apache's MD5 ($apr1$) hash.</summary>
    public static Task AddApr1Async(string file, string user, string password) => RunAsync(file, ["-m"], user, password);

    /// <summary>`htpasswd -vb FILE USER PASSWORD`: Apache's own verification of an entry.</summary>
    public static Task<ProcessResult> VerifyAsync(string file, string user, string password) =>
        ProcessRunner.RunAsync(Tool.Require("htpasswd"), ["-v", "-b", file, user, password], timeout: TimeSpan.FromSeconds(60));

    private static async Task RunAsync(string file, string[] algorithm, string user, string password)
    {
        var args = new List<string>();
        if (!File.Exists(file))
        {
            args.Add("-c");
        }

        args.Add("-b");
        args.AddRange(algorithm);
        args.AddRange([file, user, password]);
        var result = await ProcessRunner.RunAsync(Tool.Require("htpasswd"), args, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Succeeded, result.Describe());
    }
}
