using System.Globalization;

namespace VfsGateway.Backends.Ftp.Protocol;

/// <summary>
/// Assembles replies from control-connection lines (RFC 959 §4.2): "123 text" is a whole reply;
/// "123-text" opens a multi-line reply that ends at the first line starting "123 " (or exactly
/// "123"). Lines in between are kept as they are, minus a leading "123-" some servers repeat.
/// </summary>
internal sealed class FtpReplyParser
{
    private List<string>? _lines;
    private int _code;

    /// <summary>Adds one line (without CR LF); returns the reply once it is complete.</summary>
    /// <exception cref="FtpProtocolException">A line that cannot start a reply.</exception>
    public FtpReply? Add(string line)
    {
        if (_lines is null)
        {
            if (!TryCode(line, out var code) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new FtpProtocolException($"unexpected line from the server: '{Truncate(line)}'");
            }

            if (line.Length > 3 && line[3] == '-')
            {
                _code = code;
                _lines = [line[4..]];
                return null;
            }

            return new FtpReply(code, [line.Length > 4 ? line[4..] : string.Empty]);
        }

        if (line.Length >= 3 && TryCode(line, out var end) && end == _code && (line.Length == 3 || line[3] == ' '))
        {
            _lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            var reply = new FtpReply(_code, _lines);
            _lines = null;
            return reply;
        }

        _lines.Add(line.Length > 4 && TryCode(line, out var repeated) && repeated == _code && line[3] == '-' ? line[4..] : line);
        return null;
    }

    private static bool TryCode(string line, out int code)
    {
        code = 0;
        return line.Length >= 3 && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) &&
               line[0] is >= '1' and <= '5' &&
               int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    private static string Truncate(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
