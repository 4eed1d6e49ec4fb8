using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>The JSON Schemas in tests/Shared/Schemas, one per file, shared with the end-to-end tests.</summary>
internal static class SchemaCorpus
{
    public static string Folder { get; } = Path.Combine(TestModels.RepositoryRoot, "tests", "Shared", "Schemas");

    public static IReadOnlyList<string> Names { get; } =
        [.. Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name + ".json"));

    public static JsonElement Load(string name) => JsonDocument.Parse(Text(name)).RootElement;

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }
}
