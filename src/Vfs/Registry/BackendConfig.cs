using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VfsGateway.Vfs.Registry;

/// <summary>
/// The resolved options of one remote: its backend type, the path part of the remote string
/// (the backend's root) and the option values after precedence was applied. Unset options fall
/// back to the registration's defaults.
/// </summary>
public sealed class BackendConfig
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public BackendConfig(BackendRegistration registration, string root, IReadOnlyDictionary<string, string> values)
    {
        Registration = registration;
        Root = root;
        _values = values.ToDictionary(kv => kv.Key.Replace('-', '_'), kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var key in _values.Keys)
        {
            if (registration.FindOption(key) is null)
            {
                throw new VfsException(VfsErrorKind.Invalid, $"backend '{registration.Name}' has no option '{key}' (see 'gateway help backends')");
            }
        }
    }

    /// <summary>A copy of <paramref name="other"/> (for `with`-style changes of the init-only properties).</summary>
    public BackendConfig(BackendConfig other)
    {
        Registration = other.Registration;
        Root = other.Root;
        _values = other._values;
        LoggerFactory = other.LoggerFactory;
    }

    public BackendRegistration Registration { get; }

    /// <summary>Where the backend logs (protocol stderr, reconnects); the CLI passes the host's factory.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The path part of the remote (e.g. "/srv/restic" of "local:/srv/restic"), as given; settable with `with`-style copies (a command that opens the parent of a file remote).</summary>
    public string Root { get; init; }

    /// <summary>The value, else the option's default, else null.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name.Replace('-', '_'), out var v) ? v : Registration.FindOption(name)?.Default;

    /// <summary>The value of a required option; a clear error names the option, its flag and env var.</summary>
    public string GetRequired(string name)
    {
        var v = Get(name);
        if (string.IsNullOrEmpty(v))
        {
            var option = Registration.FindOption(name);
            var hint = option is null ? string.Empty : $" (set {option.FlagName(Registration.Name)} or {option.EnvName(Registration.Name)})";
            throw new VfsException(VfsErrorKind.Invalid, $"backend '{Registration.Name}' needs option '{name}'{hint}");
        }

        return v;
    }

    public bool GetBool(string name)
    {
        var v = Get(name);
        return v is not null && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1" || v.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }

    public int GetInt(string name, int fallback)
    {
        var v = Get(name);
        if (string.IsNullOrEmpty(v))
        {
            return fallback;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new VfsException(VfsErrorKind.Invalid, $"option '{name}' of backend '{Registration.Name}' must be an integer, not '{v}'");
    }

    /// <summary>True when the option was set explicitly (not from its default).</summary>
    public bool IsSet(string name) => _values.ContainsKey(name.Replace('-', '_'));
}
