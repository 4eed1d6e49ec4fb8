using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using EdgeLlm.Routing.Cascade;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// The models a request may be served by, by name in the order to try them, the route that chose them (null: named
/// directly) and the cascade from the first of them (null: none).
/// </summary>
internal sealed record RoutedModels(IReadOnlyList<string?> Names, string? Route, RouteEscalation? Escalation = null)
{
    /// <summary>
    /// A model name or alias gives that model alone; a route name gives its matching rule's target and the route's
    /// fallbacks. <paramref name="request"/> is only read for a route. Whether each model is in memory is found out
    /// when it is tried (<see cref="ModelResolver.AcquireAsync"/>).
    /// </summary>
    public static (RoutedModels? Models, ApiError? Error) Resolve(ModelRegistry registry, RouteResolver router, string? name, Func<RoutingRequest> request)
    {
        if (!registry.IsReady)
        {
            return (null, ApiError.ModelNotReady("The model is still loading."));
        }

        if (!router.IsRoute(name))
        {
            return registry.FindSlot(name) is null ? (null, ModelResolver.NotFound(name)) : (new RoutedModels([name], null), null);
        }

        if (router.Decide(name!, request()) is not { } decision)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"No rule of the route '{name}' matches this request.", "model"));
        }

        // Start-up checked every target against the configured models; one can only be missing while it is withdrawn.
        var models = decision.Candidates.Where(c => registry.FindSlot(c) is not null).ToList();
        return models.Count == 0
            ? (null, ApiError.ModelNotReady($"No model of the route '{name}' is available."))
            : (new RoutedModels(models, name, models[0] == decision.Candidates[0] ? decision.Escalation : null), null);
    }
}
