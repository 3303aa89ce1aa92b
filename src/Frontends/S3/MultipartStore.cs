namespace VfsGateway.Frontends.S3;

internal sealed class MultipartStore(string root, TimeSpan expiry, TimeProvider time)
{
    public string Root { get; } = root;
    public TimeSpan Expiry { get; } = expiry;
    public TimeProvider Time { get; } = time;
    public void Initialize() => Directory.CreateDirectory(Root);
}
