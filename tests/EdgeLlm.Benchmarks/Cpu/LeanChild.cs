using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using EdgeLlm.Benchmarks.LlamaCpp;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>
/// The lean loop on LLamaSharp's own natives, in a child process of this same program (the hidden
/// <c>cpu-lean-child</c> command): a process holds one set of llama.cpp libraries, and the parent holds the built ones.
/// </summary>
internal static class LeanChild
{
    public const string Command = "cpu-lean-child";

    private const string ResultPrefix = "lean-results: ";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>Runs the child and returns its results and the CPU code it ran.</summary>
    public static async Task<LeanRunResult> RunAsync(string model, ComparisonSettings settings, IReadOnlyList<LeanShape> shapes, CancellationToken cancellationToken)
    {
        // Under 'dotnet EdgeLlm.Benchmarks.dll' the process is dotnet and the program its first argument.
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("This process has no path to start again.");
        string[] program = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [Assembly.GetEntryAssembly()!.Location] : [];
        var info = new ProcessStartInfo(self, [.. program, Command, model, JsonSerializer.Serialize(new LeanChildRequest(settings, shapes))])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the lean loop's child process.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var (output, errors) = (await stdout, await stderr);
        return process.ExitCode == 0
            ? Parse(output)
            : throw new InvalidOperationException($"The lean loop's child exited with code {process.ExitCode}:\n{string.Join('\n', (output + errors).TrimEnd().Split('\n').TakeLast(20))}");
    }

    /// <summary>The child's side: the lean loop on whatever natives LLamaSharp finds by itself, results on stdout.</summary>
    public static int RunChild(string model, string request)
    {
        var (settings, shapes) = JsonSerializer.Deserialize<LeanChildRequest>(request) ?? throw new ArgumentException("The child got no settings.");
        NativeLog.ErrorsOnly();
        var results = LeanLoop.Run(model, settings, shapes);
        Console.WriteLine(Format(new LeanRunResult(results, LoadedNatives.MappedLibraries())));
        return 0;
    }

    /// <summary>The line the child prints.</summary>
    public static string Format(LeanRunResult result) => ResultPrefix + JsonSerializer.Serialize(result);

    /// <summary>The results in the child's output; anything else it printed (llama.cpp's log) is skipped.</summary>
    public static LeanRunResult Parse(string output) =>
        output.Split('\n').LastOrDefault(line => line.StartsWith(ResultPrefix, StringComparison.Ordinal)) is { } line
            ? JsonSerializer.Deserialize<LeanRunResult>(line[ResultPrefix.Length..]) ?? throw new InvalidDataException("The lean loop's child printed empty results.")
            : throw new InvalidDataException("The lean loop's child printed no results.");

    private sealed record LeanChildRequest(ComparisonSettings Settings, IReadOnlyList<LeanShape> Shapes);
}

/// <param name="Results">One per shape, in order.</param>
/// <param name="Libraries">The llama.cpp libraries the process had mapped: the native code that ran.</param>
internal sealed record LeanRunResult(IReadOnlyList<LeanResult> Results, IReadOnlyList<string> Libraries);
