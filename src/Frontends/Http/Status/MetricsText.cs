using System.Globalization;

namespace VfsGateway.Frontends.Http.Status;

/// <summary>
/// Reads the Prometheus text exposition format (version 0.0.4) back into samples, so that the
/// status page shows exactly what a scrape shows: the registry stays the one source of truth.
/// </summary>
internal static class MetricsText
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public static List<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (TryParseLine(line, out var sample))
            {
                samples.Add(sample);
            }
        }

        return samples;
    }

    private static bool TryParseLine(string line, out MetricSample sample)
    {
        sample = null!;
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        var labels = NoLabels;
        if (i < line.Length && line[i] == '{')
        {
            var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
                {
                    return false;
                }

                var key = line[i..eq].Trim();
                i = eq + 2;
                var value = new System.Text.StringBuilder();
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                parsed[key] = value.ToString();
                i++; // closing quote
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
            }

            labels = parsed;
            i++; // closing brace
        }

        var rest = line[Math.Min(i, line.Length)..].Trim();
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var number = space < 0 ? rest : rest[..space]; // an optional timestamp follows the value
        if (name.Length == 0 || !TryParseValue(number, out var v))
        {
            return false;
        }

        sample = new MetricSample(name, labels, v);
        return true;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
