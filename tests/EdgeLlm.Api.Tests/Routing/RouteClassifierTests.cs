using System.ComponentModel.DataAnnotations;
using EdgeLlm.Inference;
using EdgeLlm.Routing;
using EdgeLlm.Routing.Cascade;
using EdgeLlm.Routing.Classification;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>Classifier rules and cascades on plain requests, with a hand-written embedder: no sockets, no models.</summary>
public sealed class RouteClassifierTests
{
    private static readonly HashSet<string> NoFeatures = [];

    // Two example directions and requests near each, one in between, and one the model cannot embed.
    private static readonly Dictionary<string, float[]> Vectors = new()
    {
        ["story one"] = [1f, 0.1f],
        ["story two"] = [1f, -0.1f],
        ["code one"] = [0.1f, 1f],
        ["code two"] = [-0.1f, 1f],
        ["a story"] = [0.9f, 0.2f],
        ["some code"] = [0.2f, 0.9f],
        ["in between"] = [1f, 1f],
    };

    [Fact]
    public async Task ARequestGoesToTheTargetWhoseExamplesItResembles()
    {
        var router = Router(new FakePromptEmbedder(Vectors), Classifier(0.9), new RouteRuleOptions { Target = "fallback" });

        Assert.Equal("small", await TargetAsync(router, "a story"));
        Assert.Equal("large", await TargetAsync(router, "some code"));
    }

    [Fact]
    public async Task BelowTheLeastSimilarityOrWithoutAnEmbeddingTheNextRuleDecides()
    {
        var router = Router(new FakePromptEmbedder(Vectors), Classifier(0.9), new RouteRuleOptions { Target = "fallback" });

        // Cosine 0.71 to both centroids.
        Assert.Equal("fallback", await TargetAsync(router, "in between"));
        Assert.Equal("fallback", await TargetAsync(router, "unknown to the model"));
    }

    [Fact]
    public async Task ExamplesAreEmbeddedOnceAndNothingIsEmbeddedWhenAPlainRuleDecidesFirst()
    {
        var embedder = new FakePromptEmbedder(Vectors);
        var router = Router(embedder, new RouteRuleOptions { Target = "large", Keywords = ["prove"] }, Classifier(0.9));

        Assert.Equal("large", await TargetAsync(router, "prove it"));
        Assert.Equal(0, embedder.Calls);

        await TargetAsync(router, "a story");
        await TargetAsync(router, "some code");
        Assert.Equal(4 + 2, embedder.Calls);
    }

    [Fact]
    public async Task ExamplesTheModelCannotEmbedYetAreTriedAgainByTheNextRequest()
    {
        var vectors = new Dictionary<string, float[]>(Vectors);
        vectors.Remove("code two");
        var embedder = new FakePromptEmbedder(vectors);
        var router = Router(embedder, Classifier(0.9), new RouteRuleOptions { Target = "fallback" });

        Assert.Equal("fallback", await TargetAsync(router, "a story"));
        vectors["code two"] = Vectors["code two"];
        Assert.Equal("small", await TargetAsync(router, "a story"));
    }

    [Fact]
    public async Task AnEmbedderFaultFailsOnlyTheRequestThatMetIt()
    {
        var embedder = new FakePromptEmbedder(Vectors) { FailNext = true };
        var router = Router(embedder, Classifier(0.9), new RouteRuleOptions { Target = "fallback" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => TargetAsync(router, "a story"));
        Assert.Equal("small", await TargetAsync(router, "a story"));
    }

    [Fact]
    public void ADecisionCarriesItsRulesCascadeUnlessTheTargetIsTheLargerModel()
    {
        var router = Router(
            new FakePromptEmbedder(),
            new RouteRuleOptions { Target = "large", Keywords = ["prove"], EscalateTo = "large" },
            new RouteRuleOptions { Target = "small", EscalateTo = "large", EscalateBelowMeanLogprob = -2 });

        Assert.Null(router.Decide("auto", new RoutingRequest(null, null, "prove it", NoFeatures))!.Escalation);
        Assert.Equal(new RouteEscalation("large", -2), router.Decide("auto", new RoutingRequest(null, null, "hi", NoFeatures))!.Escalation);
    }

    [Fact]
    public void AnAnswerEscalatesWhenItsMeanLogprobIsBelowTheBoundOrItHasNoTokens()
    {
        var escalation = new RouteEscalation("large", -1);

        Assert.True(escalation.Escalates(4, -4.4));
        Assert.False(escalation.Escalates(4, -4.0));
        Assert.True(escalation.Escalates(0, 0));
    }

    [Fact]
    public void ClassifierAndCascadeSettingsAreCheckedAtValidation()
    {
        var tooMany = Enumerable.Range(0, RouteExampleOptions.MaxPrompts + 1).Select(i => $"p{i}").ToList();
        var options = new RoutingOptions
        {
            Routes = [new RouteOptions
            {
                Name = "auto",
                Rules =
                [
                    new RouteRuleOptions { Target = "small", ClassifierModel = "small", MinSimilarity = 1.5, Examples = [new RouteExampleOptions { Target = "small", Prompts = ["x"] }] },
                    new RouteRuleOptions { ClassifierModel = "small" },
                    new RouteRuleOptions { ClassifierModel = "small", Examples = [new RouteExampleOptions { Target = "a", Prompts = tooMany }, new RouteExampleOptions { Target = "a", Prompts = ["", new string('x', 1001)] }] },
                    new RouteRuleOptions { Target = "small", Examples = [new RouteExampleOptions { Target = "small", Prompts = ["x"] }] },
                    new RouteRuleOptions { Target = "small", EscalateTo = "small", EscalateBelowMeanLogprob = 0.5 },
                ],
            }],
        };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage!).ToList();

        Assert.Contains("Routing:Routes:0:Rules:0: a rule with a ClassifierModel takes its target from its Examples; Target must be empty.", errors);
        Assert.Contains("Routing:Routes:0:Rules:0:MinSimilarity must be between -1 and 1.", errors);
        Assert.Contains("Routing:Routes:0:Rules:1:Examples needs 1 to 8 targets.", errors);
        Assert.Contains("Routing:Routes:0:Rules:2:Examples: the target 'a' is listed twice.", errors);
        Assert.Contains("Routing:Routes:0:Rules:2:Examples:0:Prompts needs 1 to 64 example prompts.", errors);
        Assert.Contains("Routing:Routes:0:Rules:2:Examples:1:Prompts: every prompt must hold 1 to 1000 characters.", errors);
        Assert.Contains("Routing:Routes:0:Rules:3:Examples need a ClassifierModel.", errors);
        Assert.Contains("Routing:Routes:0:Rules:4:EscalateTo must name a model other than the rule's Target.", errors);
        Assert.Contains("Routing:Routes:0:Rules:4:EscalateBelowMeanLogprob must be 0 or less (a mean log-probability).", errors);
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void ClassifierModelsExampleTargetsAndCascadeModelsMustBeConfiguredModels()
    {
        var inference = Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            Models = [new ModelOptions { Name = "large", Path = "/m/large.gguf" }, new ModelOptions { Name = "small", Path = "/m/small.gguf" }],
        });
        var options = Options(
            new RouteRuleOptions { ClassifierModel = "embedder", Examples = [new RouteExampleOptions { Target = "medium", Prompts = ["x"] }] },
            new RouteRuleOptions { Target = "small", EscalateTo = "huge" });

        var failures = new RoutingModelNamesValidation(inference).Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Routing:Routes:0 ('auto'): 'embedder' is not a configured model name or alias.",
                "Routing:Routes:0 ('auto'): 'huge' is not a configured model name or alias.",
                "Routing:Routes:0 ('auto'): 'medium' is not a configured model name or alias.",
            ],
            failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ARouteGeneratesOnlyWithChatModelsAndClassifiesWithAChatOrEmbeddingModel()
    {
        var inference = Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            Models =
            [
                new ModelOptions { Name = "small", Path = "/m/small.gguf" },
                new ModelOptions { Name = "bert", Path = "/m/bert.gguf", Role = "embedding" },
                new ModelOptions { Name = "guard", Path = "/m/guard.gguf", Role = "guard" },
            ],
        });
        var options = Options(
            new RouteRuleOptions { ClassifierModel = "bert", Examples = [new RouteExampleOptions { Target = "small", Prompts = ["x"] }] },
            new RouteRuleOptions { ClassifierModel = "guard", Examples = [new RouteExampleOptions { Target = "bert", Prompts = ["x"] }] },
            new RouteRuleOptions { Target = "small", EscalateTo = "guard" });

        var failures = new RoutingModelNamesValidation(inference).Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Routing:Routes:0 ('auto'): 'bert' has the role embedding; a route generates only with chat models.",
                "Routing:Routes:0 ('auto'): 'guard' has the role guard; a route generates only with chat models.",
                "Routing:Routes:0 ('auto'): the classifier model 'guard' has the role guard; a classifier embeds with a chat or embedding model.",
            ],
            failures.Order(StringComparer.Ordinal));
    }

    private static RouteRuleOptions Classifier(double minSimilarity) => new()
    {
        ClassifierModel = "small",
        MinSimilarity = minSimilarity,
        Examples = [new RouteExampleOptions { Target = "small", Prompts = ["story one", "story two"] }, new RouteExampleOptions { Target = "large", Prompts = ["code one", "code two"] }],
    };

    private static async Task<string?> TargetAsync(RouteResolver router, string text)
    {
        var request = await router.PrepareAsync("auto", new RoutingRequest(null, null, text, NoFeatures), CancellationToken.None);
        return router.Decide("auto", request)?.Candidates[0];
    }

    private static RouteResolver Router(IPromptEmbedder embedder, params RouteRuleOptions[] rules) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(rules)), embedder, NullLogger<RouteResolver>.Instance);

    private static RoutingOptions Options(params RouteRuleOptions[] rules) => new() { Routes = [new RouteOptions { Name = "auto", Rules = [.. rules] }] };
}
