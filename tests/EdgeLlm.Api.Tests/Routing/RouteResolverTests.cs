using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using EdgeLlm.Inference;
using EdgeLlm.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>Rule matching on plain requests: no sockets, no models.</summary>
public sealed class RouteResolverTests
{
    private static readonly HashSet<string> NoFeatures = [];

    [Fact]
    public void TheFirstMatchingRuleWinsAndARuleWithoutConditionsIsTheDefault()
    {
        var router = Router(
            new RouteRuleOptions { Target = "large", Keywords = ["prove"] },
            new RouteRuleOptions { Target = "medium", Keywords = ["PROVE", "derive"] },
            new RouteRuleOptions { Target = "small" });

        Assert.Equal((0, "large"), Decide(router, "Please Prove it"));
        Assert.Equal((1, "medium"), Decide(router, "derive the formula"));
        Assert.Equal((2, "small"), Decide(router, "hello"));
    }

    [Fact]
    public void WithoutADefaultARequestNoRuleMatchesGetsNoDecision()
    {
        var router = Router(new RouteRuleOptions { Target = "large", Keywords = ["prove"] });

        Assert.Null(router.Decide("auto", Request("hello")));
    }

    [Fact]
    public void PromptLengthIsCountedInRoughTokensOfFourCharacters()
    {
        var router = Router(
            new RouteRuleOptions { Target = "small", MaxPromptTokens = 10 },
            new RouteRuleOptions { Target = "large", MinPromptTokens = 11 });

        Assert.Equal((0, "small"), Decide(router, new string('a', 40)));
        Assert.Equal((1, "large"), Decide(router, new string('a', 41)));
    }

    [Fact]
    public void KeysAndTenantsMatchOnlyTheirCallers()
    {
        var router = Router(
            new RouteRuleOptions { Target = "large", ApiKeys = ["key-1"] },
            new RouteRuleOptions { Target = "medium", Tenants = ["gold"] },
            new RouteRuleOptions { Target = "small" });

        Assert.Equal(0, router.Decide("auto", new RoutingRequest("key-1", "bronze", "hi", NoFeatures))!.RuleIndex);
        Assert.Equal(1, router.Decide("auto", new RoutingRequest("key-2", "gold", "hi", NoFeatures))!.RuleIndex);
        Assert.Equal(2, router.Decide("auto", new RoutingRequest(null, null, "hi", NoFeatures))!.RuleIndex);
    }

    [Fact]
    public void FeaturesMatchAnyOfThoseAsked()
    {
        var router = Router(
            new RouteRuleOptions { Target = "large", Features = [RoutingFeatures.Tools, RoutingFeatures.JsonSchema] },
            new RouteRuleOptions { Target = "small" });

        Assert.Equal(0, router.Decide("auto", new RoutingRequest(null, null, "hi", new HashSet<string> { RoutingFeatures.JsonSchema }))!.RuleIndex);
        Assert.Equal(1, router.Decide("auto", new RoutingRequest(null, null, "hi", new HashSet<string> { RoutingFeatures.Retrieval }))!.RuleIndex);
    }

    [Fact]
    public void AllConditionsOfARuleMustHold()
    {
        var router = Router(
            new RouteRuleOptions { Target = "large", Tenants = ["gold"], Keywords = ["prove"], MinPromptTokens = 3 },
            new RouteRuleOptions { Target = "small" });

        Assert.Equal(0, router.Decide("auto", new RoutingRequest(null, "gold", "prove this one", NoFeatures))!.RuleIndex);
        Assert.Equal(1, router.Decide("auto", new RoutingRequest(null, "gold", "prove", NoFeatures))!.RuleIndex);
        Assert.Equal(1, router.Decide("auto", new RoutingRequest(null, "bronze", "prove this one", NoFeatures))!.RuleIndex);
    }

    [Fact]
    public void APatternMatchesCaseInsensitivelyAndOneThatRunsPastItsTimeoutDoesNotMatch()
    {
        var router = Router(
            new RouteRuleOptions { Target = "large", Pattern = @"^\s*(def|class)\s" },
            new RouteRuleOptions { Target = "medium", Pattern = "^(a+)+$|b" },
            new RouteRuleOptions { Target = "small" });

        // The first match of each pattern compiles it, which on a loaded machine alone can outlast the timeout.
        Decide(router, "warm up");

        Assert.Equal((0, "large"), Decide(router, "  DEF main():"));
        Assert.Equal((1, "medium"), Decide(router, "ab"));

        // The b would match, but only after catastrophic backtracking on 40 a's: far beyond 20 ms, so the rule is passed over.
        Assert.Equal((2, "small"), Decide(router, new string('a', 40) + "b"));
    }

    [Fact]
    public void TheCandidatesAreTheTargetThenTheFallbacksWithoutTheTarget()
    {
        var router = Router([new RouteRuleOptions { Target = "large" }], fallbacks: ["large", "medium", "small"]);

        Assert.Equal(["large", "medium", "small"], router.Decide("auto", Request("hi"))!.Candidates);
    }

    [Fact]
    public void AnInvalidPatternAnUnknownFeatureAndAMissingTargetAreRefusedAtValidation()
    {
        var options = Options([
            new RouteRuleOptions { Target = "large", Pattern = "(unclosed" },
            new RouteRuleOptions { Target = "large", Features = ["images"] },
            new RouteRuleOptions { Keywords = ["x"] },
        ]);

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage!).ToList();

        Assert.Contains(errors, e => e.StartsWith("Routing:Routes:0:Rules:0:Pattern is not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'images' is not one of", StringComparison.Ordinal));
        Assert.Contains("Routing:Routes:0:Rules:2:Target is required.", errors);
    }

    [Fact]
    public void ARouteNamedLikeAModelOrAliasOrTargetingAnUnknownModelIsRefused()
    {
        var inference = Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            Models = [new ModelOptions { Name = "large", Path = "/m/large.gguf" }, new ModelOptions { Name = "small", Path = "/m/small.gguf", Aliases = ["auto"] }],
        });
        var options = Options([new RouteRuleOptions { Target = "huge" }], fallbacks: ["small"]);

        var result = new RoutingModelNamesValidation(inference).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Routing:Routes:0:Name 'auto' is already a model name or alias.", result.Failures!);
        Assert.Contains("Routing:Routes:0 ('auto'): 'huge' is not a configured model name or alias.", result.Failures!);
        Assert.DoesNotContain(result.Failures!, f => f.Contains("'small'", StringComparison.Ordinal));
    }

    [Fact]
    public void EachDecisionIsCountedByRouteRuleAndTarget()
    {
        var counted = new List<(string?, int?, string?)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "edgellm.routing.decisions")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if ((string?)values["route"] == "metered")
            {
                lock (counted)
                {
                    counted.Add(((string?)values["route"], (int?)values["rule"], (string?)values["target"]));
                }
            }
        });
        listener.Start();
        var router = new RouteResolver(
            Microsoft.Extensions.Options.Options.Create(new RoutingOptions { Routes = [new RouteOptions { Name = "metered", Rules = [new RouteRuleOptions { Target = "large", Keywords = ["prove"] }] }] }),
            new FakePromptEmbedder(),
            NullLogger<RouteResolver>.Instance);

        router.Decide("metered", Request("prove it"));
        router.Decide("metered", Request("hello"));

        Assert.Equal([("metered", 0, "large"), ("metered", -1, "none")], counted);
    }

    private static (int, string) Decide(RouteResolver router, string text) =>
        router.Decide("auto", Request(text)) is { } decision ? (decision.RuleIndex, decision.Candidates[0]) : (-1, "");

    private static RoutingRequest Request(string text) => new(null, null, text, NoFeatures);

    private static RouteResolver Router(params RouteRuleOptions[] rules) => Router(rules, []);

    private static RouteResolver Router(RouteRuleOptions[] rules, List<string> fallbacks) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(rules, fallbacks)), new FakePromptEmbedder(), NullLogger<RouteResolver>.Instance);

    private static RoutingOptions Options(RouteRuleOptions[] rules, List<string>? fallbacks = null) => new()
    {
        PatternTimeout = TimeSpan.FromMilliseconds(20),
        Routes = [new RouteOptions { Name = "auto", Rules = [.. rules], Fallbacks = fallbacks ?? [] }],
    };
}
