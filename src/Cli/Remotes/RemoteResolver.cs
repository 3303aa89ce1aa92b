using VfsGateway.Vfs;
using VfsGateway.Vfs.Registry;

namespace VfsGateway.Cli.Remotes;

/// <summary>
/// Turns a remote string into a <see cref="BackendConfig"/>. The backend type comes from the
/// string (bare path → local, ":type:" inline), else from section [name] of the config file, else
/// from a backend type called name: a named remote wins over a type of the same name. Option values
/// are merged with this precedence, highest first: the string itself ("name,key=value:path"),
/// the CLI flag --&lt;type&gt;-&lt;option&gt;, the environment variable GATEWAY_&lt;TYPE&gt;_&lt;OPTION&gt;,
/// the config file section, the registry default.
/// </summary>
internal sealed class RemoteResolver
{
    private readonly BackendRegistry _registry;
    private readonly Func<string, string?> _env;
    private readonly Lazy<IniFile> _config;

    /// <param name="registry">The backend types.</param>
    /// <param name="env">Environment lookup (injectable so tests need not touch the process environment).</param>
    /// <param name="config">Loads the config file when a remote name needs it.</param>
    public RemoteResolver(BackendRegistry registry, Func<string, string?> env, Func<IniFile> config)
    {
        _registry = registry;
        _env = env;
        _config = new Lazy<IniFile>(config);
    }

    /// <param name="remote">The remote as the user wrote it.</param>
    /// <param name="flags">The --&lt;type&gt;-&lt;option&gt; flags given explicitly for a backend type (keys are option names).</param>
    public ResolvedRemote Resolve(string remote, Func<BackendRegistration, IReadOnlyDictionary<string, string>> flags)
    {
        var parsed = RemoteParser.Parse(remote);
        IReadOnlyDictionary<string, string>? section = null;
        string type;
        string display;
        if (parsed.IsBarePath || parsed.IsInline)
        {
            type = parsed.Name;
            display = parsed.IsInline ? $":{parsed.Name}:{parsed.Path}" : string.Empty;
        }
        else if (_config.Value.TryGetSection(parsed.Name, out section))
        {
            if (!section.TryGetValue("type", out var sectionType) || sectionType.Length == 0)
            {
                throw new CliException($"{_config.Value.Source}: section [{parsed.Name}] has no 'type = ...' line");
            }

            type = sectionType;
            display = $"{parsed.Name}:{parsed.Path}";
        }
        else if (_registry.TryGet(parsed.Name, out _))
        {
            type = parsed.Name;
            display = $"{parsed.Name}:{parsed.Path}";
        }
        else
        {
            throw new CliException($"unknown remote '{parsed.Name}': no section [{parsed.Name}] in {_config.Value.Source} and no backend type '{parsed.Name}' (known types: {KnownTypes()})");
        }

        if (!_registry.TryGet(type, out var registration))
        {
            var where = section is null ? $"remote '{remote}'" : $"{_config.Value.Source}, section [{parsed.Name}]";
            throw new CliException($"{where}: unknown backend type '{type}' (known types: {KnownTypes()})");
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (section is not null)
        {
            foreach (var (key, value) in section)
            {
                if (!string.Equals(key, "type", StringComparison.OrdinalIgnoreCase))
                {
                    // Secrets in the file are obscured as rclone stores them (gateway config create does).
                    var option = Set(values, registration, key, value, $"{_config.Value.Source}, section [{parsed.Name}]");
                    if (option.IsSecret)
                    {
                        values[option.Name] = Obscure.RevealIfObscured(value);
                    }
                }
            }
        }

        foreach (var option in registration.Options)
        {
            if (_env(option.EnvName(registration.Name)) is { Length: > 0 } fromEnv)
            {
                values[option.Name] = fromEnv;
            }
        }

        foreach (var (key, value) in flags(registration))
        {
            Set(values, registration, key, value, "command line");
        }

        foreach (var (key, value) in parsed.Options)
        {
            Set(values, registration, key, value, $"remote '{parsed.Name}'");
        }

        var root = parsed.Path;
        if (string.Equals(registration.Name, "local", StringComparison.OrdinalIgnoreCase))
        {
            // Relative local roots are taken against the working directory once, here, so that the
            // startup line, the default .htpasswd and the backend all agree.
            root = Path.GetFullPath(root.Length == 0 ? "." : root);
            if (parsed.IsBarePath)
            {
                display = $"local:{root}";
            }
        }

        try
        {
            return new ResolvedRemote(new BackendConfig(registration, root, values), display.Length == 0 ? $"{registration.Name}:{root}" : display);
        }
        catch (VfsException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private string KnownTypes() => string.Join(", ", _registry.All.Select(r => r.Name));

    private static BackendOption Set(Dictionary<string, string> values, BackendRegistration registration, string key, string value, string source)
    {
        var option = registration.FindOption(key)
            ?? throw new CliException($"{source}: backend '{registration.Name}' has no option '{key}' (see 'gateway backends')");
        values[option.Name] = value;
        return option;
    }
}
