using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// One line of Apache's combined log format, as rest-server writes it (gorilla/handlers):
/// <c>host ident user [time] "METHOD target PROTO" status bytes "referer" "user-agent"</c>.
/// </summary>
internal static class AccessLogFormatter
{
    public static string Format(HttpContext context, DateTimeOffset started, long bytesSent, int? statusOverride = null)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            target = request.PathBase + request.Path + request.QueryString;
        }

        var user = context.User.Identity?.Name;
        var sb = new StringBuilder(192);
        sb.Append(context.Connection.RemoteIpAddress?.ToString() ?? "-");
        sb.Append(" - ");
        AppendToken(sb, string.IsNullOrEmpty(user) ? "-" : user);
        sb.Append(" [");
        sb.Append(FormatTime(started));
        sb.Append("] \"");
        AppendEscaped(sb, request.Method);
        sb.Append(' ');
        AppendEscaped(sb, target);
        sb.Append(' ');
        AppendEscaped(sb, ProtocolName(request.Protocol));
        sb.Append("\" ");
        sb.Append((statusOverride ?? context.Response.StatusCode).ToString(CultureInfo.InvariantCulture));
        sb.Append(' ');
        // Apache's %b: "-" rather than 0 when no body byte was sent.
        sb.Append(bytesSent > 0 ? bytesSent.ToString(CultureInfo.InvariantCulture) : "-");
        sb.Append(" \"");
        AppendEscaped(sb, request.Headers.Referer.ToString());
        sb.Append("\" \"");
        AppendEscaped(sb, request.Headers.UserAgent.ToString());
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Apache's %t: <c>10/Oct/2000:13:55:36 -0700</c> (English month names whatever the locale).</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{time:dd'/'MMM'/'yyyy':'HH':'mm':'ss} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    // Apache and Go print "HTTP/2.0"; ASP.NET Core says "HTTP/2".
    private static string ProtocolName(string protocol) => protocol switch
    {
        "HTTP/2" => "HTTP/2.0",
        "HTTP/3" => "HTTP/3.0",
        _ => protocol,
    };

    // The user name is unquoted in the format: a space in it would shift every later field.
    private static void AppendToken(StringBuilder sb, string value)
    {
        var start = sb.Length;
        AppendEscaped(sb, value);
        for (var i = start; i < sb.Length; i++)
        {
            if (sb[i] == ' ')
            {
                sb[i] = '_';
            }
        }
    }

    // Apache escapes '"', '\' and non-printable bytes so that a request cannot forge log lines.
    private static void AppendEscaped(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case < ' ' or '\x7f':
                    sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }
}
