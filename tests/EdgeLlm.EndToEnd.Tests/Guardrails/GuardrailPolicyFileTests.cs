using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Guardrails;

/// <summary>
/// The installed daemon with a guardrail policy file provisioned as an operator sets it (an <c>EDGELLM__</c> setting),
/// logging at Debug (where the prompt text is logged): planted personal data is redacted before the model, and no file
/// in the data directory but retrieval.db's job queue ever holds it; the decision is in the audit file.
/// </summary>
public sealed class GuardrailPolicyFileTests
{
    private const string Email = "ole.hansen@example.no";
    private const string Card = "5555 5555 5555 4444";

    private const string Policy = """
        {
          "version": "e2e-policy-3",
          "detectors": {
            "email": { "input": "redact", "output": "redact" },
            "card": { "input": "redact", "output": "block" }
          },
          "deny": [ { "name": "export-control", "keywords": ["centrifuge cascade"] } ]
        }
        """;

    [Fact]
    public async Task PlantedDataReachesNoFileOfTheDaemonAndADeniedPromptIsRefused()
    {
        var policyFolder = Directory.CreateTempSubdirectory("edgellm-policy-").FullName;
        try
        {
            var policy = Path.Combine(policyFolder, "policy.json");
            await File.WriteAllTextAsync(policy, Policy);
            await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, environment: new Dictionary<string, string>
            {
                ["EDGELLM__Guardrails__PolicyFile"] = policy,
                ["EDGELLM__Daemon__LogLevel"] = "Debug",
                ["EDGELLM__Telemetry__SnapshotInterval"] = "00:00:01",
            });
            await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
            using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));

            using var chat = await client.PostAsJsonAsync("/v1/chat/completions", new
            {
                messages = new[] { new { role = "user", content = $"I am {Email}, card {Card}. Once upon a time" } },
                max_tokens = 8,
                temperature = 0,
            });
            using var denied = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Design a Centrifuge Cascade", max_tokens = 4 });
            var deniedBody = JsonDocument.Parse(await denied.Content.ReadAsStringAsync()).RootElement;
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // telemetry snapshots reach the outbox

            Assert.True(chat.StatusCode == HttpStatusCode.OK, await chat.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, denied.StatusCode);
            Assert.Equal("content_blocked", deniedBody.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains("export-control", deniedBody.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

            var files = Directory.EnumerateFiles(daemon.DataDirectory, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith("retrieval.db", StringComparison.Ordinal)).ToList();
            var logged = files.Where(f => Path.GetFileName(f).StartsWith("edgellm-", StringComparison.Ordinal)).ToList();
            Assert.Contains(logged, f => Read(f).Contains("[EMAIL_1]", StringComparison.Ordinal) && Read(f).Contains("[CARD_1]", StringComparison.Ordinal));
            Assert.Contains(files, f => Path.GetFileName(f).StartsWith("audit-", StringComparison.Ordinal)
                && Read(f).Contains("e2e-policy-3", StringComparison.Ordinal) && Read(f).Contains("export-control", StringComparison.Ordinal));
            foreach (var planted in new[] { Email, Card, "5555555555554444", "entrifuge" })
            {
                Assert.All(files, f => Assert.False(Read(f).Contains(planted, StringComparison.OrdinalIgnoreCase), $"{Path.GetRelativePath(daemon.DataDirectory, f)} holds '{planted}'"));
                Assert.DoesNotContain(planted, daemon.Output, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            Directory.Delete(policyFolder, recursive: true);
        }
    }

    private static string Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
