using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Api.Endpoints;

internal static class ModelResolver
{
    /// <summary>
    /// The named (or default) model in memory, loaded first when it is an on-demand model that is not, waiting at most
    /// <paramref name="wait"/> (the request timeout); else the error to return: 404 for an unknown name, 503
    /// <c>model_not_ready</c> with <c>Retry-After</c> while the daemon starts, while the load outlasts the wait, after a
    /// failed load, or when the model does not fit in the memory budget now. Dispose the lease once the work is queued.
    /// </summary>
    public static async Task<(ModelLease? Lease, ApiError? Error)> AcquireAsync(ModelRegistry registry, ModelResidency residency, string? name, TimeSpan wait, CancellationToken aborted)
    {
        if (!registry.IsReady)
        {
            return (null, ApiError.ModelNotReady("The model is still loading."));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(wait);
        ModelAcquisition acquisition;
        try
        {
            acquisition = await residency.AcquireAsync(name, deadline.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return (null, ApiError.ModelNotReady($"The model '{name}' is still loading."));
        }

        return acquisition switch
        {
            ModelAcquisition.Ready ready => (ready.Lease, null),
            ModelAcquisition.NotReady notReady => (null, new ApiError(503, ErrorCodes.ModelNotReady, notReady.Message, "model", notReady.RetryAfter)),
            _ => (null, NotFound(name)),
        };
    }

    /// <summary>404 <c>model_not_found</c> for <paramref name="name"/>.</summary>
    public static ApiError NotFound(string? name) => new(404, ErrorCodes.ModelNotFound, $"The model '{name}' does not exist on this appliance.", "model");
}
