using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests;

public sealed class DaemonLifecycleTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task TheDaemonServesCompletionsOverHttpAndStopsCleanlyOnSigterm()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));

        using var response = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 30, temperature = 0 });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Contains("Lily", body.GetProperty("choices")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // A prompt that starts like the last one is served from its kept cells (prefix reuse is on as installed).
        const string story = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun.";
        using var first = await client.PostAsJsonAsync("/v1/completions", new { prompt = story, max_tokens = 4, temperature = 0 });
        using var next = await client.PostAsJsonAsync("/v1/completions", new { prompt = story + " One day", max_tokens = 4, temperature = 0 });
        var usage = JsonDocument.Parse(await next.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        Assert.InRange(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), 16, usage.GetProperty("prompt_tokens").GetInt32() - 1);

        var exitCode = await daemon.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.Contains("\"Application is shutting down...\"", daemon.Output, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(daemon.DataDirectory, "logs"), "edgellm-*.json").Any(), "the daemon should write its rolling JSON log under <data-dir>/logs");
    }

    [Fact]
    public async Task RequestsWithoutAKeyAreRefusedByTheRunningDaemon()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        using var anonymous = new HttpClient { BaseAddress = daemon.Address };

        using var response = await anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ADaemonGivenATruncatedModelExitsNonZeroAndSaysWhy()
    {
        var truncated = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.gguf");
        var bytes = await File.ReadAllBytesAsync(TestModels.Stories260K);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        try
        {
            await using var daemon = await EdgeLlmProcess.StartAsync(truncated);

            var exitCode = await daemon.WaitForExitAsync(TimeSpan.FromMinutes(1));

            Assert.NotEqual(0, exitCode);
            Assert.Contains("TensorOutOfBounds", daemon.Output, StringComparison.Ordinal);
            // It was never ready: the last word is a failed start, not a stop after running.
            Assert.Contains("The daemon failed to start", daemon.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("stopped after running", daemon.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(truncated);
        }
    }

    [Fact]
    public async Task InvalidSettingsAreRefusedAtStartWithAMessageNamingThem()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-").FullName;
        try
        {
            var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
                ["serve", "--data-dir", dataDirectory, "--model", TestModels.Stories260K, "--Inference:MaxSequences", "0", "--Inference:BatchSize", "1"]);

            Assert.Equal(2, exitCode);
            Assert.Contains("MaxSequences", output, StringComparison.Ordinal);
            Assert.Contains("BatchSize", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AMisspeltSettingInEachSourceStopsTheStartNamingTheKeyItsSourceAndTheNearestSetting()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-").FullName;
        try
        {
            var config = Path.Combine(dataDirectory, "site.json");
            await File.WriteAllTextAsync(config, """{ "Telemetry": { "BrokerHost": "broker.lan", "Site": null }, "Api": { "Urlz": "http://127.0.0.1:1" } }""");

            var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
                ["serve", "--data-dir", dataDirectory, "--config", config, "--model", TestModels.Stories260K, "--Inference:ContextSiz", "512"],
                new Dictionary<string, string> { ["EDGELLM__Updates__PulUrl"] = "https://updates.lan/" });

            Assert.Equal(2, exitCode);
            Assert.Contains($"Telemetry:BrokerHost is not a setting (in {config}); it was replaced by Telemetry:BrokerUri", output, StringComparison.Ordinal);
            Assert.Contains($"Api:Urlz is not a setting (in {config}); did you mean Api:Urls?", output, StringComparison.Ordinal);
            Assert.Contains("Updates:PulUrl is not a setting (from the environment variable EDGELLM__Updates__PulUrl); did you mean Updates:PullUrl?", output, StringComparison.Ordinal);
            Assert.Contains("Inference:ContextSiz is not a setting (on the command line, --Inference:ContextSiz); did you mean Inference:ContextSize?", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Site", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ASecretFileOthersCanReadStopsTheStartNamingIt()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-").FullName;
        try
        {
            var password = Path.Combine(dataDirectory, "mqtt-password");
            await File.WriteAllTextAsync(password, "planted-secret-4711\n");
            File.SetUnixFileMode(password, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
                ["serve", "--data-dir", dataDirectory, "--model", TestModels.Stories260K,
                 "--Telemetry:BrokerUri", "mqtts://broker.lan", "--Telemetry:Username", "edge-7", "--Telemetry:PasswordFile", password]);

            Assert.Equal(2, exitCode);
            Assert.Contains($"Telemetry:PasswordFile: {password} is readable by others than the daemon's user and group (mode 0644)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("planted-secret-4711", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task OnATerminalTheConsoleLogIsPlainLinesAndThroughAPipeItIsJson()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-").FullName;
        var truncated = Path.Combine(dataDirectory, "truncated.gguf");
        try
        {
            await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(TestModels.Stories260K))[..4096]);
            string[] serve = ["serve", "--data-dir", dataDirectory, "--model", truncated, "--urls", "http://127.0.0.1:0"];

            // script(1) gives the daemon a pseudo-terminal as stdout, as an operator's shell does.
            var command = string.Join(' ', EdgeLlmProcess.CommandLine(serve).Select(ShellQuoted));
            var terminal = (await Command.RunAsync("script", ["--quiet", "--return", "--command", command, "/dev/null"])).StandardOutput;
            var (_, piped) = await EdgeLlmProcess.RunToEndAsync(serve);

            // The first line either way: which component reports the refused model first depends on timing.
            Assert.Matches(@"\[\d\d:\d\d:\d\d INF\] EdgeLlm\.Daemon: EdgeLlm \S+ starting: data directory", terminal);
            Assert.DoesNotContain("\"@t\":", terminal, StringComparison.Ordinal);
            Assert.Contains("\"@mt\":\"EdgeLlm {Version} starting: data directory {DataDirectory}", piped, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>One word for sh, whatever it holds: single-quoted, each single quote closed, escaped and reopened.</summary>
    private static string ShellQuoted(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
