namespace VfsGateway.UnitTests.Frontends.Http.Hosting;

/// <summary>A directory under the temp path, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    // Short names: a Unix socket path must fit in 108 bytes.
    public string Path { get; } = Directory.CreateTempSubdirectory("gw").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
