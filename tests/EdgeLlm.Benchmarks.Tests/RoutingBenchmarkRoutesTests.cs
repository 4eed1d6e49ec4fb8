using System.ComponentModel.DataAnnotations;
using EdgeLlm.Benchmarks.Routing;
using EdgeLlm.Routing;
using EdgeLlm.Routing.Classification;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The routing benchmark's routes are valid settings, and the rules-only route sends its prompt past every rule to "small".</summary>
public sealed class RoutingBenchmarkRoutesTests
{
    [Fact]
    public void TheBenchmarksRoutesPassValidationAndItsPromptTakesTheRulesRouteToTheLastRule()
    {
        var options = BenchmarkRoutes.Options();

        Assert.Empty(options.Validate(new ValidationContext(options)));
        var router = new RouteResolver(Microsoft.Extensions.Options.Options.Create(options), new NoEmbeddings(), NullLogger<RouteResolver>.Instance);
        var decision = router.Decide("rules", new RoutingRequest("key", "tenant", BenchmarkRoutes.Prompt, new HashSet<string>()));
        Assert.Equal((4, "small"), (decision!.RuleIndex, decision.Candidates[0]));
    }

    private sealed class NoEmbeddings : IPromptEmbedder
    {
        public Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken) => Task.FromResult<float[]?>(null);
    }
}
