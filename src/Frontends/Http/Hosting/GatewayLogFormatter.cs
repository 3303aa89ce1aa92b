using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace VfsGateway.Frontends.Http.Hosting;

/// <summary>
/// One log line per event for operators, not developers: the time (UTC), the level and the message;
/// no logger category (an internal type name) and no event id. An exception adds its message, and
/// its stack only at Debug level. <c>--log-format json</c> writes the same as one JSON object per line
/// (time, level, msg, the message's named values, error) for log shippers.
/// </summary>
internal sealed class GatewayLogFormatter : ConsoleFormatter
{
    public const string TextName = "gateway-text";
    public const string JsonName = "gateway-json";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly bool _json;
    private readonly bool _stacks;
    private readonly TimeProvider _time;

    public GatewayLogFormatter(bool json, bool stacks, TimeProvider? time = null)
        : base(json ? JsonName : TextName)
    {
        _json = json;
        _stacks = stacks;
        _time = time ?? TimeProvider.System;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        var error = logEntry.Exception is null ? null : _stacks ? logEntry.Exception.ToString() : logEntry.Exception.Message;
        var time = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        if (!_json)
        {
            textWriter.Write(time);
            textWriter.Write(' ');
            textWriter.Write(LevelName(logEntry.LogLevel).PadRight(5));
            textWriter.Write(' ');
            textWriter.Write(OneLine(message));
            if (error is not null)
            {
                textWriter.Write(": ");
                textWriter.Write(_stacks ? error : OneLine(error));
            }

            textWriter.Write('\n');
            return;
        }

        using var buffer = new MemoryStreamWriter();
        using (var json = new Utf8JsonWriter(buffer.Stream, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", time);
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("msg", message);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key is "{OriginalFormat}" or "time" or "level" or "msg" or "error")
                    {
                        continue;
                    }

                    switch (value)
                    {
                        case null:
                            json.WriteNull(key);
                            break;
                        case int or long or double or float or decimal or short or byte or uint or ulong:
                            json.WriteNumber(key, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                        case bool b:
                            json.WriteBoolean(key, b);
                            break;
                        default:
                            json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                    }
                }
            }

            if (error is not null)
            {
                json.WriteString("error", error);
            }

            json.WriteEndObject();
        }

        textWriter.Write(buffer.Text);
        textWriter.Write('\n');
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };

    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal) ? text.ReplaceLineEndings(" ") : text;

    /// <summary>A small growable buffer for one JSON line (log lines are not payloads).</summary>
    private sealed class MemoryStreamWriter : IDisposable
    {
        public MemoryStream Stream { get; } = new();

        public string Text => System.Text.Encoding.UTF8.GetString(Stream.GetBuffer(), 0, (int)Stream.Length);

        public void Dispose() => Stream.Dispose();
    }
}
