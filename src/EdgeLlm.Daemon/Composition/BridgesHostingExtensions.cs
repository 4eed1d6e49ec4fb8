using EdgeLlm.Guardrails;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Inference.Models;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// The glue between parts that know nothing of each other, kept here in the composition root with every dependency
/// required: a part never looks another up.
/// </summary>
internal static class BridgesHostingExtensions
{
    /// <summary>
    /// Retrieval embeds and counts tokens with a served model and screens documents with the guardrail policy; update events become telemetry events and the fleet's
    /// update-check command runs a pull; the fleet hears which models were activated and how canary rollouts went.
    /// </summary>
    public static IServiceCollection AddEdgeLlmBridges(this IServiceCollection services)
    {
        services.AddOptions<RetrievalOptions>()
            .Validate<IOptions<InferenceOptions>>(
                (retrieval, inference) => retrieval.EmbeddingModel is null || inference.Value.Models.Any(m => m.EffectiveName == retrieval.EmbeddingModel),
                "Retrieval:EmbeddingModel must name one of Inference:Models.")
            .ValidateOnStart();
        services.AddSingleton(sp => new ModelEmbeddingGenerator(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<ModelResidency>(), sp.GetRequiredService<IOptions<RetrievalOptions>>().Value.EmbeddingModel));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<ModelEmbeddingGenerator>());
        services.AddSingleton<ITokenCounter, ModelTokenCounter>();
        services.AddSingleton<IDocumentScreen, GuardrailDocumentScreen>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardrailsOptions>, PolicyGuardModelsValidation>());

        services.AddSingleton<UpdateTelemetryBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<UpdateTelemetryBridge>());
        services.AddSingleton<IUpdateCheckTrigger>(sp => sp.GetRequiredService<UpdateTelemetryBridge>());
        services.AddHostedService<ModelActivationReporter>();
        services.AddHostedService<RolloutTelemetryBridge>();
        return services;
    }
}
