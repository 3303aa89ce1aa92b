using System.Globalization;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// A parsed --acl file (format in docs/restic.md): groups, and rules granting a user, a group
/// (@name) or everyone (*) a right on repository paths. A path is a prefix at segment boundaries
/// ("/" is every repository) and may contain {user}, replaced with the authenticated user. A user
/// gets the highest right of all rules that match; no matching rule means no access. Quota lines
/// limit the bytes of a user's own folder (/NAME) or of a repository path (rest-server #305).
/// </summary>
public sealed class ResticAcl
{
    private readonly List<Rule> _rules;
    private readonly Dictionary<string, HashSet<string>> _groups;

    private readonly Dictionary<string, long> _userQuotas;
    private readonly List<QuotaLimit> _pathQuotas;

    private ResticAcl(List<Rule> rules, Dictionary<string, HashSet<string>> groups, Dictionary<string, long> userQuotas, List<QuotaLimit> pathQuotas)
    {
        _rules = rules;
        _groups = groups;
        _userQuotas = userQuotas;
        _pathQuotas = pathQuotas;
    }

    public int RuleCount => _rules.Count;

    public int QuotaCount => _userQuotas.Count + _pathQuotas.Count;

    /// <summary>Parses the file's text; a malformed line throws <see cref="FormatException"/> naming its number.</summary>
    public static ResticAcl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<Rule>();
        var groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var userQuotas = new Dictionary<string, long>(StringComparer.Ordinal);
        var pathQuotas = new List<QuotaLimit>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var words = (hash < 0 ? raw : raw[..hash]).Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "group" when words.Length >= 2 && IsName(words[1]):
                    if (!groups.TryGetValue(words[1], out var members))
                    {
                        groups[words[1]] = members = new HashSet<string>(StringComparer.Ordinal);
                    }

                    foreach (var member in words.AsSpan(2))
                    {
                        if (!IsName(member))
                        {
                            throw Error(number, $"'{member}' is not a user name");
                        }

                        members.Add(member);
                    }

                    break;
                case "allow" when words.Length == 4:
                    rules.Add(new Rule(Who(words[1], number), Right(words[2], number), PathPattern(words[3], number)));
                    break;
                case "quota" when words.Length == 4 && words[1] == "user":
                    if (words[2] != "*" && !IsName(words[2]))
                    {
                        throw Error(number, $"'{words[2]}' is not a user name or *");
                    }

                    if (!userQuotas.TryAdd(words[2], Size(words[3], number)))
                    {
                        throw Error(number, $"a second quota for user {words[2]}");
                    }

                    break;
                case "quota" when words.Length == 4 && words[1] == "repo":
                    var scope = PathPattern(words[2], number);
                    if (scope.Contains('{', StringComparison.Ordinal))
                    {
                        throw Error(number, "a quota path is a fixed path (for each user's own folder: quota user * SIZE)");
                    }

                    if (pathQuotas.Exists(q => q.Scope == scope))
                    {
                        throw Error(number, $"a second quota for {words[2]}");
                    }

                    pathQuotas.Add(new QuotaLimit(scope, Size(words[3], number), "repository /" + scope));
                    break;
                default:
                    throw Error(number, "expected 'group NAME USER…', 'allow USER|@GROUP|* read|append|modify PATH', 'quota user NAME|* SIZE' or 'quota repo PATH SIZE'");
            }
        }

        foreach (var rule in rules)
        {
            if (rule.Who.StartsWith('@') && !groups.ContainsKey(rule.Who[1..]))
            {
                throw new FormatException($"group '{rule.Who[1..]}' is used but never defined");
            }
        }

        return new ResticAcl(rules, groups, userQuotas, pathQuotas);
    }

    /// <summary>
    /// The quota lines that cover <paramref name="repository"/>: the user quota of its first folder
    /// (the line naming it, else the <c>*</c> line), and every repo line whose path contains it.
    /// </summary>
    internal IReadOnlyList<QuotaLimit> QuotasFor(string repository)
    {
        if (QuotaCount == 0)
        {
            return [];
        }

        var limits = new List<QuotaLimit>();
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        var owner = slash < 0 ? repository : repository[..slash];
        if (owner.Length > 0 && (_userQuotas.TryGetValue(owner, out var bytes) || _userQuotas.TryGetValue("*", out bytes)))
        {
            limits.Add(new QuotaLimit(owner, bytes, "user " + owner));
        }

        foreach (var quota in _pathQuotas)
        {
            if (Covers(quota.Scope, string.Empty, repository))
            {
                limits.Add(quota);
            }
        }

        return limits;
    }

    /// <summary>The highest right <paramref name="user"/> ("" when unauthenticated) has on <paramref name="repository"/> ("" for the root one).</summary>
    public AclRight RightFor(string user, string repository)
    {
        var best = AclRight.None;
        foreach (var rule in _rules)
        {
            if (rule.Right > best && Applies(rule.Who, user) && Covers(rule.Path, user, repository))
            {
                best = rule.Right;
            }
        }

        return best;
    }

    private bool Applies(string who, string user) =>
        who == "*" ||
        (user.Length > 0 && (who == user || (who[0] == '@' && _groups.TryGetValue(who[1..], out var members) && members.Contains(user))));

    private static bool Covers(string pattern, string user, string repository)
    {
        if (pattern.Contains("{user}", StringComparison.Ordinal))
        {
            if (user.Length == 0)
            {
                return false;
            }

            pattern = pattern.Replace("{user}", user, StringComparison.Ordinal);
        }

        return pattern.Length == 0 ||
               (repository.StartsWith(pattern, StringComparison.Ordinal) && (repository.Length == pattern.Length || repository[pattern.Length] == '/'));
    }

    private static string Who(string word, int number) =>
        word == "*" || IsName(word) || (word.Length > 1 && word[0] == '@' && IsName(word[1..]))
            ? word
            : throw Error(number, $"'{word}' is not a user name, @group or *");

    private static AclRight Right(string word, int number) => word switch
    {
        "read" => AclRight.Read,
        "append" => AclRight.Append,
        "modify" => AclRight.Modify,
        _ => throw Error(number, $"'{word}' is not a right (read, append or modify)"),
    };

    private static string PathPattern(string word, int number)
    {
        if (!word.StartsWith('/'))
        {
            throw Error(number, $"the path '{word}' must start with '/'");
        }

        var trimmed = word.Trim('/');
        foreach (var segment in trimmed.Split('/'))
        {
            if (trimmed.Length > 0 && (segment.Length == 0 || segment is "." or ".."))
            {
                throw Error(number, $"the path '{word}' has an empty, '.' or '..' segment");
            }
        }

        return trimmed;
    }

    private static long Size(string word, int number) =>
        Http.ByteSize.TryParse(word, out var bytes, out var error) ? bytes : throw Error(number, error);

    private static bool IsName(string word) => Http.Auth.HtpasswdUserName.IsValid(word);

    private static FormatException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));

    private sealed record Rule(string Who, AclRight Right, string Path);
}
