namespace VfsGateway.Frontends.S3;

/// <summary>One access key pair; the secret is never logged.</summary>
public sealed record S3AccessKey(string AccessKeyId, string SecretAccessKey)
{
    /// <summary>Parses "ACCESS,SECRET" (rclone's --auth-key form).</summary>
    public static S3AccessKey Parse(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma <= 0 || comma == value.Length - 1)
        {
            throw new FormatException("an auth key must look like ACCESS_KEY_ID,SECRET_ACCESS_KEY");
        }

        return new S3AccessKey(value[..comma], value[(comma + 1)..]);
    }

    public override string ToString() => $"{AccessKeyId},***";
}
