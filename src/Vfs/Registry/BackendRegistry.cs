namespace VfsGateway.Vfs.Registry;

/// <summary>The backend types the gateway knows, by name (case-insensitive).</summary>
public sealed class BackendRegistry
{
    private readonly Dictionary<string, BackendRegistration> _byName = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<BackendRegistration> All => _byName.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    public BackendRegistry Add(BackendRegistration registration)
    {
        if (!_byName.TryAdd(registration.Name, registration))
        {
            throw new InvalidOperationException($"backend '{registration.Name}' is registered twice");
        }

        return this;
    }

    public bool TryGet(string name, out BackendRegistration registration) =>
        _byName.TryGetValue(name, out registration!);

    public BackendRegistration Get(string name) =>
        TryGet(name, out var r)
            ? r
            : throw new VfsException(VfsErrorKind.Invalid, $"unknown backend type '{name}' (known: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))})");
}
