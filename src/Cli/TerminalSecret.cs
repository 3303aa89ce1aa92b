using System.Text;

namespace VfsGateway.Cli;

/// <summary>Reads a line from the terminal without echoing it (for passwords).</summary>
internal static class TerminalSecret
{
    public static string? ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return sb.ToString();
                case ConsoleKey.Backspace:
                    if (sb.Length > 0)
                    {
                        sb.Length--;
                    }

                    break;
                default:
                    if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.D or ConsoleKey.C)
                    {
                        Console.Error.WriteLine();
                        return null;
                    }

                    if (!char.IsControl(key.KeyChar))
                    {
                        sb.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
