using System.Globalization;

namespace EdgeLlm.Soak;

/// <summary>What <c>scripts/soak.sh</c> hands the soak: how long, on which model, and the scratch folders it prepared.</summary>
/// <param name="Duration">How long the traffic runs (the start, the settle and the report come on top).</param>
/// <param name="ModelPath">The GGUF served as both the generation and the embedding model.</param>
/// <param name="DataDirectory">The daemon's data directory: the size-limited tmpfs the script mounted.</param>
/// <param name="LogDirectory">Where the daemon logs, off the tmpfs so the logs survive the disk-full episode.</param>
/// <param name="PidFile">Where the daemon's process id is written, for the script's clean-up.</param>
/// <param name="ServeSettings">More <c>--Section:Key value</c> pairs for <c>edgellm serve</c> (after <c>--</c>).</param>
internal sealed record SoakOptions(TimeSpan Duration, string ModelPath, string DataDirectory, string LogDirectory, string? PidFile, IReadOnlyList<string> ServeSettings)
{
    public const string Usage =
        "EdgeLlm.Soak --model PATH --data-dir DIR --log-dir DIR [--minutes N] [--pid-file FILE] [-- --Section:Key value ...]\n" +
        "  Normally started by scripts/soak.sh, which builds, mounts the tmpfs data directory and cleans up.";

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var minutes = 30.0;
        string? model = null, data = null, logs = null, pidFile = null;
        var serve = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--minutes":
                    minutes = double.TryParse(Value(args, ++i, "--minutes"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0
                        ? m
                        : throw new ArgumentException("--minutes takes a positive number.");
                    break;
                case "--model":
                    model = Value(args, ++i, "--model");
                    break;
                case "--data-dir":
                    data = Value(args, ++i, "--data-dir");
                    break;
                case "--log-dir":
                    logs = Value(args, ++i, "--log-dir");
                    break;
                case "--pid-file":
                    pidFile = Value(args, ++i, "--pid-file");
                    break;
                case "--":
                    serve.AddRange(args.Skip(i + 1));
                    i = args.Count;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        return new SoakOptions(
            TimeSpan.FromMinutes(minutes),
            File.Exists(model) ? Path.GetFullPath(model) : throw new ArgumentException($"--model: no model file at '{model}'."),
            Directory.Exists(data) ? Path.GetFullPath(data) : throw new ArgumentException($"--data-dir: no folder at '{data}'."),
            logs is not null ? Path.GetFullPath(logs) : throw new ArgumentException("--log-dir is required."),
            pidFile,
            serve);
    }

    /// <summary>A scheduler bound the overload must exceed: the value given after <c>--</c>, else the daemon's default.</summary>
    public int ServeSetting(string key, int defaultValue)
    {
        for (var i = 0; i + 1 < ServeSettings.Count; i++)
        {
            if (string.Equals(ServeSettings[i], "--" + key, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(ServeSettings[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return defaultValue;
    }

    private static string Value(IReadOnlyList<string> args, int index, string name) =>
        index < args.Count ? args[index] : throw new ArgumentException($"{name} needs a value.");
}
