using System.Globalization;

namespace VfsGateway.Frontends.Restic;

/// <summary>
/// A parsed --acl file (format in docs/restic.md): groups, and rules granting a user, a group
/// (@name) or everyone (*) a right on repository paths. A path is a prefix at segment boundaries
/// ("/" is every repository) and may contain {user}, replaced with the authenticated user. A user
/// gets the highest right of all rules that match; no matching rule means no access.
/// </summary>
public sealed class ResticAcl
{
    private readonly List<Rule> _rules;
    private readonly Dictionary<string, HashSet<string>> _groups;

    private ResticAcl(List<Rule> rules, Dictionary<string, HashSet<string>> groups)
    {
        _rules = rules;
        _groups = groups;
    }

    public int RuleCount => _rules.Count;

    /// <summary>Parses the file's text; a malformed line throws <see cref="FormatException"/> naming its number.</summary>
    public static ResticAcl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<Rule>();
        var groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
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
                default:
                    throw Error(number, "expected 'group NAME USER…' or 'allow USER|@GROUP|* read|append|modify PATH'");
            }
        }

        foreach (var rule in rules)
        {
            if (rule.Who.StartsWith('@') && !groups.ContainsKey(rule.Who[1..]))
            {
                throw new FormatException($"group '{rule.Who[1..]}' is used but never defined");
            }
        }

        return new ResticAcl(rules, groups);
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

    private static bool IsName(string word) => Http.Auth.HtpasswdUserName.IsValid(word);

    private static FormatException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}"));

    private sealed record Rule(string Who, AclRight Right, string Path);
}
