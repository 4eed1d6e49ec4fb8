using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference;

public static class InferenceHostingExtensions
{
    /// <summary>
    /// Registers the model runtime: options (validated at start-up), ggml's backends (with the configured
    /// backend modules), the model registry, the model versions (probe, hot swap, candidates beside the active version for
    /// canary rollouts, with each version's outcomes and a split that sends nothing to candidates until a rollout
    /// registers its own), and the background service that loads and probes the models.
    /// </summary>
    public static IServiceCollection AddEdgeLlmInference(this IServiceCollection services, Action<InferenceOptions>? configure = null)
    {
        var builder = services.AddOptions<InferenceOptions>()
            .BindConfiguration(InferenceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GgmlBackendRegistry>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton(sp => new GrammarCache(sp.GetRequiredService<IOptions<InferenceOptions>>().Value.GrammarCacheEntries));
        services.AddSingleton<ModelLoader>();
        services.AddSingleton(sp => new ModelResidency(
            sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<ModelLoader>(), sp.GetRequiredService<IOptions<InferenceOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ModelResidency>>(),
            sp.GetRequiredService<CandidateModels>()));
        services.TryAddSingleton<IServedModelSource, ConfiguredModelSource>();
        services.AddSingleton<CandidateModels>();
        services.AddSingleton<VersionProbe>();
        services.AddSingleton<IModelVersions, ModelVersions>();
        services.AddSingleton<IVersionOutcomes, VersionOutcomes>();
        services.TryAddSingleton<ICanarySplit, NoCanarySplit>();
        services.AddHostedService<ModelLoadingService>();
        return services;
    }
}
