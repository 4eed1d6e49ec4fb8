using System.Diagnostics;
using System.Text.Json;

namespace EdgeLlm.EndToEnd.Tests.Telemetry;

/// <summary>
/// Parses Prometheus text with a real parser: the official Python client's (Debian's
/// <c>python3-prometheus-client</c>, installed by <c>scripts/test.sh</c>). A line it cannot parse fails the parse.
/// </summary>
internal static class PrometheusText
{
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = {"types": {}, "samples": {}}
        for family in text_string_to_metric_families(sys.stdin.read()):
            out["types"][family.name] = family.type
            for s in family.samples:
                labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
                out["samples"][s.name + "{" + labels + "}"] = s.value
        json.dump(out, sys.stdout)
        """;

    /// <summary>Family types by name, and every sample's value by <c>name{label="value",…}</c> (labels sorted).</summary>
    public static async Task<(Dictionary<string, string> Types, Dictionary<string, double> Samples)> ParseAsync(string text)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(info) ?? throw new InvalidOperationException("Could not start python3.");
        await python.StandardInput.WriteAsync(text);
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        if (python.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Prometheus parser refused the text: {await errors}");
        }

        using var json = JsonDocument.Parse(await output);
        return (
            json.RootElement.GetProperty("types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            json.RootElement.GetProperty("samples").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));
    }
}
