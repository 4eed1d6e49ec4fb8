using System.Text.Json;
using Json.Schema;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>
/// The JSON schemas of tests/Shared/Schemas, and an independent validator (JsonSchema.Net, formats asserted) to
/// judge the answers: never the daemon's own compiler.
/// </summary>
internal static class SchemaCorpus
{
    public static IReadOnlyList<(string Name, string Schema)> All { get; } =
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Schemas"), "*.json").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)))];

    /// <summary>Null when <paramref name="answer"/> parses and validates against <paramref name="schema"/>, else why not.</summary>
    public static string? Problem(string schema, string answer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(answer);
        }
        catch (JsonException ex)
        {
            return "not JSON: " + ex.Message;
        }

        using (document)
        {
            // JsonSchema.Net speaks 2020-12, where draft-07's "definitions" is $defs; its own registry per schema, as
            // schemas of the corpus may share an $id.
            var modern = schema.Replace("\"definitions\"", "\"$defs\"", StringComparison.Ordinal).Replace("#/definitions/", "#/$defs/", StringComparison.Ordinal);
            var validator = JsonSchema.FromText(modern, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            var result = validator.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.List });
            return result.IsValid
                ? null
                : "invalid: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));
        }
    }
}
