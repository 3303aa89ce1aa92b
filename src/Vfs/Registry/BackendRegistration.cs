namespace VfsGateway.Vfs.Registry;

/// <summary>A backend type as the registry knows it: name, help, option list and factory.</summary>
public sealed record BackendRegistration(string Name, string Description, IReadOnlyList<BackendOption> Options, BackendFactory Factory)
{
    public BackendOption? FindOption(string name)
    {
        var normalized = name.Replace('-', '_');
        return Options.FirstOrDefault(o => string.Equals(o.Name, normalized, StringComparison.OrdinalIgnoreCase));
    }
}
