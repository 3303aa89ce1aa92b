using System.CommandLine;
using System.CommandLine.Parsing;

namespace VfsGateway.Cli;

/// <summary>
/// Turns the parser's errors into messages a person can act on: an unknown flag or command names
/// the nearest real one ("did you mean --append-only?"), a missing argument is named ("serve s3
/// needs a REMOTE"), a missing command lists the commands. The parser's own texts are kept for
/// anything else.
/// </summary>
internal static class UsageErrors
{
    public static List<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);

        // An unknown flag may have been taken as the REMOTE argument ("--bogus REMOTE") and the real
        // REMOTE then reported as unrecognized: the flag is the message that helps.
        var unknownFlags = parse.Tokens
            .Where(t => t.Type == TokenType.Argument && t.Value.Length > 1 && t.Value.StartsWith('-') && !IsNumber(t.Value))
            .Select(t => t.Value)
            .Concat(parse.UnmatchedTokens.Where(t => t.Length > 1 && t.StartsWith('-') && !IsNumber(t)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (unknownFlags.Count > 0)
        {
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
            return [.. unknownFlags.Select(flag => $"unknown option '{flag}'" + Suggest(flag.Split('=')[0], names))];
        }

        var messages = new List<string>();
        foreach (var error in parse.Errors)
        {
            var message = error.Message;
            if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                var subcommands = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
                message = command is RootCommand ? "missing command" : $"{path} needs a command: {subcommands}";
            }
            else if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
            {
                var missing = command.Arguments.Where(a => !a.Hidden && a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is null or { Tokens.Count: 0 }).Select(a => a.Name);
                message = $"{path} needs {string.Join(" and ", missing)} (see '{path} --help')";
            }
            else if (message.StartsWith("Unrecognized command or argument '", StringComparison.Ordinal))
            {
                var token = message["Unrecognized command or argument '".Length..].TrimEnd('.').TrimEnd('\'');
                var suggestion = command.Subcommands.Count > 0 ? Suggest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) : string.Empty;
                message = command.Subcommands.Count > 0 ? $"unknown command '{token}' for '{path}'{suggestion}" : $"unexpected argument '{token}'";
            }

            if (!messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        // "gateway srve restic": the first unknown command is what matters, not the missing one
        // nor the words after it.
        if (messages.Count > 1)
        {
            messages.RemoveAll(m => m == "missing command" || m.Contains(" needs a command: ", StringComparison.Ordinal));
            var firstUnknown = messages.FindIndex(m => m.StartsWith("unknown command ", StringComparison.Ordinal));
            if (firstUnknown >= 0)
            {
                messages = [.. messages.Where((m, i) => i == firstUnknown || !(m.StartsWith("unknown command ", StringComparison.Ordinal) || m.StartsWith("unexpected argument ", StringComparison.Ordinal)))];
            }
        }

        return messages;
    }

    /// <summary>The command list printed under "missing command" (what `gateway` alone shows).</summary>
    public static IEnumerable<string> CommandList(Command command)
    {
        yield return "Commands:";
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            yield return $"  {sub.Name,-10} {sub.Description}";
        }
    }

    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Command is RootCommand ? "gateway" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>" (did you mean X?)" for the closest candidate within a small edit distance, else "".</summary>
    public static string Suggest(string typed, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(typed, c)))
            .Where(c => c.Distance <= Math.Max(2, typed.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? string.Empty : $" (did you mean {best.Name}?)";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static bool IsNumber(string value) => double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _);
}
