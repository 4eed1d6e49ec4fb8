using System.Text.Json;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>
/// Classifier rules on the two real models, embedded by stories260K (its 64-dimension embeddings tell children's-story
/// sentences from strings of digits and code: 12 of 12 held out one at a time went to their own centroid, by 0.1 or more).
/// <c>auto</c> sends stories to "small" and digits or code to "large"; <c>strict</c> asks a similarity no request reaches,
/// so its next rule decides.
/// </summary>
public sealed class RoutingClassifierTests : IAsyncLifetime
{
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

    private InferenceTestServer _server = null!;

    public async Task InitializeAsync()
    {
        var routes = new Dictionary<string, string>();
        Classifier(routes, 0, "auto", minSimilarity: "0.8");
        Classifier(routes, 1, "strict", minSimilarity: "0.9999");
        routes["Routing:Routes:1:Rules:1:Target"] = "large";
        _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, RoutingSettings.TwoModels(routes));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("The little boy had a blue ball and he liked to play with it.", "small")]
    [InlineData("Mom baked cookies and the kids ate them all.", "small")]
    [InlineData("A small frog jumped into the pond and said hello to the fish.", "small")]
    [InlineData("7731 0092 4410 8856 3307", "large")]
    [InlineData("y = 42 / 6 + 1180 * 2;", "large")]
    [InlineData("0x1B 0x9C 0x44 0xE0 0x05", "large")]
    public async Task HeldOutPromptsGoToTheTargetOfTheExamplesTheyResemble(string prompt, string expected)
    {
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", Chat("auto", prompt));
        using var completion = await _server.PostJsonAsync("/v1/completions", JsonSerializer.Serialize(new { model = "auto", prompt, max_tokens = 2 }));

        Assert.Equal((expected, expected), await RoutingTests.ServedAsync(chat));
        Assert.Equal((expected, expected), await RoutingTests.ServedAsync(completion));
    }

    [Fact]
    public async Task BelowItsLeastSimilarityAClassifierRuleLetsTheNextRuleDecide()
    {
        using var story = await _server.PostJsonAsync("/v1/chat/completions", Chat("strict", "Mom baked cookies and the kids ate them all."));

        Assert.Equal(("large", "large"), await RoutingTests.ServedAsync(story));
        var metrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("edgellm_routing_decisions_total{", StringComparison.Ordinal)
            && l.Contains("route=\"strict\"", StringComparison.Ordinal) && l.Contains("rule=\"1\"", StringComparison.Ordinal));
    }

    private static void Classifier(Dictionary<string, string> routes, int route, string name, string minSimilarity)
    {
        var rule = $"Routing:Routes:{route}:Rules:0";
        routes[$"Routing:Routes:{route}:Name"] = name;
        routes[$"{rule}:ClassifierModel"] = "small";
        routes[$"{rule}:MinSimilarity"] = minSimilarity;
        routes[$"{rule}:Examples:0:Target"] = "small";
        routes[$"{rule}:Examples:1:Target"] = "large";
        for (var i = 0; i < Stories.Length; i++)
        {
            routes[$"{rule}:Examples:0:Prompts:{i}"] = Stories[i];
            routes[$"{rule}:Examples:1:Prompts:{i}"] = Code[i];
        }
    }

    private static string Chat(string model, string text) =>
        JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = text } }, max_tokens = 2 });
}
