using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's pull, push, create, copy, delete and blob calls: 501 <c>model_management_unsupported</c>. Models arrive on
/// this appliance only as signed bundles, verified before they are installed; a client cannot fetch, build, rename or
/// remove one.
/// </summary>
internal static class OllamaModelManagementEndpoint
{
    public static ApiError Refuse() => new(
        501,
        ErrorCodes.ModelManagementUnsupported,
        "Models arrive on this appliance only as signed bundles (the update feed or an operator's upload); pull, push, create, copy, delete and blobs are not served.");
}
