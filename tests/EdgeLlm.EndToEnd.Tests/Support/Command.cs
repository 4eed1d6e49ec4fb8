using System.Diagnostics;

namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>How a finished command ended: its exit code and what it printed.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Every line printed on stdout or stderr.</summary>
    public IEnumerable<string> Lines => (StandardOutput + "\n" + StandardError).Split('\n');

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs a command to its end: a script under test, or a tool such as gcc or readelf.</summary>
internal static class Command
{
    // Only stops a hang; the slowest command here (a tiny CMake build) takes seconds.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} ran longer than {limit}");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a tool the test needs and fails the test, with its output, if the tool fails.</summary>
    public static async Task<string> RunToolAsync(string fileName, params string[] arguments)
    {
        var result = await RunAsync(fileName, arguments);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed: {result}");
    }
}
