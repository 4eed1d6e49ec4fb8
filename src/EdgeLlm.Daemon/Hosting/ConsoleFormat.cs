using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// How the console log is written: lines a person reads (time, level, category, message) when stdout is a terminal;
/// compact JSON everywhere else, where a machine reads it (journald under systemd, a container's log driver, a pipe).
/// </summary>
internal static class ConsoleFormat
{
    public const string TerminalTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static ITextFormatter ForThisProcess() => For(isTerminal: !Console.IsOutputRedirected);

    public static ITextFormatter For(bool isTerminal) =>
        isTerminal ? new MessageTemplateTextFormatter(TerminalTemplate, System.Globalization.CultureInfo.InvariantCulture) : new CompactJsonFormatter();
}
