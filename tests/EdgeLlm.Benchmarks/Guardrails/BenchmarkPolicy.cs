using EdgeLlm.Guardrails;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// The policy the streaming benchmark screens answers with, as the request path applies it: every PII family and an
/// employee-number pattern redacted on output, and output deny rules (a hundred keywords, two patterns) checked on every
/// release.
/// </summary>
internal static class BenchmarkPolicy
{
    public static readonly string Document = $$"""
        {
          "version": "bench-1",
          "detectors": {
            "email": { "output": "redact" }, "phone": { "output": "redact" }, "iban": { "output": "redact" }, "card": { "output": "redact" },
            "ipv4": { "output": "redact" }, "ipv6": { "output": "redact" }, "mac": { "output": "redact" },
            "custom": [ { "name": "employee_id", "pattern": "EMP[0-9]{7}", "checksum": "luhn", "context_words": ["employee", "staff"], "output": "redact" } ]
          },
          "deny": [
            { "name": "codenames", "directions": ["output"], "keywords": [{{string.Join(", ", Enumerable.Range(0, 100).Select(i => $"\"codename{i:000}\""))}}] },
            { "name": "internal-ids", "directions": ["output"], "patterns": ["\\bPROJECT-[A-Z]{4}\\b", "\\bTICKET#[0-9]{9}\\b"] }
          ]
        }
        """;

    /// <summary>A fresh screen for one answer, as <c>GuardedEvents</c> takes one per answer.</summary>
    public static Func<OutputScreen> Screens()
    {
        var store = new PolicyStore();
        if (!store.TryActivate(Document, out var refusal))
        {
            throw new InvalidOperationException($"The benchmark's policy is refused at {refusal}.");
        }

        var enforcer = new GuardrailEnforcer(store, Options.Create(new GuardrailsOptions()), NullLoggerFactory.Instance);
        return () => enforcer.Begin(null, null).BeginOutput()!;
    }
}
