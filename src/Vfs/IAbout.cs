namespace VfsGateway.Vfs;

/// <summary>Reports space usage.</summary>
public interface IAbout
{
    ValueTask<AboutInfo> AboutAsync(CancellationToken cancellationToken);
}
