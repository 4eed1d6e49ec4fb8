using System.Diagnostics;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary>Runs Debian's <c>promtool</c> (package <c>prometheus</c>, installed by <c>scripts/test.sh</c>).</summary>
internal static class Promtool
{
    private const string Path = "/usr/bin/promtool";

    /// <summary>Its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: install Debian's prometheus package (scripts/test.sh does).");
        var info = new ProcessStartInfo(Path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start promtool.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output + await errors);
    }
}
