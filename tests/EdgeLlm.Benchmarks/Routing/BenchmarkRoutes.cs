using System.Globalization;
using EdgeLlm.Routing;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Benchmarks.Routing;

/// <summary>
/// The routes the routing benchmark measures, as an operator writes them, for the daemon and for the in-process
/// resolver alike. Both end at "small" for the benchmark's prompt, the model the direct requests name: <c>rules</c>
/// after four plain rules that do not match (keywords, length, tenant, pattern), <c>classified</c> after a plain rule
/// and a classifier on stories260K's embeddings (stories against digits and code).
/// </summary>
internal static class BenchmarkRoutes
{
    public const string Prompt = "Once upon a time there was a little girl who liked to play in the park with her dog.";

    private static readonly string[] Stories =
    [
        "Once upon a time there was a little girl named Lily.", "The dog ran to the park and played with a ball.",
        "Tom and his mom went to the store to buy a cake.", "The cat was happy and sat in the sun all day.",
        "She found a big red box under the tree.", "The bird sang a song and flew away home.",
    ];

    private static readonly string[] Code =
    [
        "4829 1038 5573 2291 0048", "x = 17 * 23 + 945 - 3301;", "0x3F 0xA2 0x11 0x7E 0xC4",
        "int[] a = {3, 9, 27, 81};", "192.168.0.1 10.0.0.254 172.16.5.9", "for (i = 0; i < 100; i++) { s += i; }",
    ];

    /// <summary>The <c>Routing</c> settings, key by key.</summary>
    public static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["Routing:Routes:0:Name"] = "rules",
            ["Routing:Routes:0:Rules:0:Target"] = "large",
            ["Routing:Routes:0:Rules:0:Keywords:0"] = "prove",
            ["Routing:Routes:0:Rules:0:Keywords:1"] = "explain why",
            ["Routing:Routes:0:Rules:0:Keywords:2"] = "derive",
            ["Routing:Routes:0:Rules:1:Target"] = "large",
            ["Routing:Routes:0:Rules:1:MinPromptTokens"] = "500",
            ["Routing:Routes:0:Rules:2:Target"] = "large",
            ["Routing:Routes:0:Rules:2:Tenants:0"] = "research",
            ["Routing:Routes:0:Rules:3:Target"] = "large",
            ["Routing:Routes:0:Rules:3:Pattern"] = @"\b(theorem|lemma|integral)\b",
            ["Routing:Routes:0:Rules:4:Target"] = "small",
            ["Routing:Routes:1:Name"] = "classified",
            ["Routing:Routes:1:Rules:0:Target"] = "large",
            ["Routing:Routes:1:Rules:0:Keywords:0"] = "prove",
            ["Routing:Routes:1:Rules:1:ClassifierModel"] = "small",
            ["Routing:Routes:1:Rules:1:MinSimilarity"] = "0.5",
            ["Routing:Routes:1:Rules:1:Examples:0:Target"] = "small",
            ["Routing:Routes:1:Rules:1:Examples:1:Target"] = "large",
            ["Routing:Routes:1:Rules:2:Target"] = "large",
        };
        for (var i = 0; i < Stories.Length; i++)
        {
            settings[$"Routing:Routes:1:Rules:1:Examples:0:Prompts:{i.ToString(CultureInfo.InvariantCulture)}"] = Stories[i];
            settings[$"Routing:Routes:1:Rules:1:Examples:1:Prompts:{i.ToString(CultureInfo.InvariantCulture)}"] = Code[i];
        }

        return settings;
    }

    /// <summary>The same settings bound as the daemon binds them.</summary>
    public static RoutingOptions Options() =>
        new ConfigurationBuilder().AddInMemoryCollection(Settings()!).Build().GetSection(RoutingOptions.SectionName).Get<RoutingOptions>()
        ?? throw new InvalidOperationException("The benchmark's routes did not bind.");
}
