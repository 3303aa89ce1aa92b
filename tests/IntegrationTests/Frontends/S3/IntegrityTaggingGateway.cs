using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Frontends.S3;

/// <summary>One gateway over a local directory for <see cref="IntegrityTaggingClientTests"/> (each test uses its own bucket).</summary>
public sealed class IntegrityTaggingGateway : IAsyncLifetime
{
    internal TempDir Temp { get; } = new("s3-integrity");

    internal S3Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await S3Gateway.StartAsync(Temp.Sub("data"));

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Temp.Dispose();
    }
}
