namespace EdgeLlm.Guardrails.Tests.Policies;

/// <summary>Policy documents the tests read: one that uses every member, and small ones to break.</summary>
internal static class PolicyDocuments
{
    public const string Full = """
        {
          "version": "2026-12-03.1",
          "detectors": {
            "email": { "min_score": 0.4, "context_words": ["email", "e-mail"], "input": "redact", "output": "redact", "retrieved": "redact" },
            "phone": { "enabled": false, "input": "mask" },
            "iban": { "min_score": 0.8, "input": "redact", "output": "block", "retrieved": "mask" },
            "card": { "min_score": 0.9, "context_words": ["card", "visa"], "input": "block", "output": "block", "retrieved": "redact" },
            "ipv4": { "input": "flag" },
            "ipv6": { "output": "flag" },
            "mac": { "retrieved": "allow" },
            "custom": [
              { "name": "employee_id", "pattern": "\\bEMP-[0-9]{6}\\b", "checksum": "luhn", "max_length": 10, "context_words": ["employee"], "input": "redact", "output": "mask" },
              { "name": "bank_ref", "pattern": "[A-Z]{2}[0-9]{2}X[0-9]{8}", "checksum": "mod97", "min_score": 0.7, "retrieved": "flag" }
            ]
          },
          "deny": [
            { "name": "weapons", "keywords": ["pipe bomb", "Nerve Agent"] },
            { "name": "internal-codenames", "directions": ["output", "retrieved"], "patterns": ["\\bPROJECT-[A-Z]{4}\\b"] }
          ],
          "guard": { "model": "llama-guard-3-1b", "directions": ["input", "output"], "categories": ["S1", "S2", "S10"], "timeout": "PT1.5S" },
          "failure_mode": "open",
          "restore_redactions": true,
          "tenants": {
            "acme": {
              "detectors": {
                "email": { "input": "block" },
                "custom": [ { "name": "badge", "pattern": "B[0-9]{5}", "context_words": ["badge"], "input": "mask" } ]
              },
              "deny": [ { "name": "competitors", "directions": ["input"], "keywords": ["globex"] } ]
            }
          }
        }
        """;

    /// <summary>A minimal document with <paramref name="members"/> after its version.</summary>
    public static string With(string members) => "{ \"version\": \"1\", " + members + " }";
}
