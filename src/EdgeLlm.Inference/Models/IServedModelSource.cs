namespace EdgeLlm.Inference.Models;

/// <summary>
/// Which file each model is served from at start-up. By default the configured <c>Inference:Models</c>;
/// signed updates replace it with their installed catalog (an installed version of a configured model wins,
/// and installed models that are not configured are added).
/// </summary>
public interface IServedModelSource
{
    IReadOnlyList<ModelOptions> StartupModels(IReadOnlyList<ModelOptions> configured);
}

/// <summary>Serves exactly the configured models.</summary>
internal sealed class ConfiguredModelSource : IServedModelSource
{
    public IReadOnlyList<ModelOptions> StartupModels(IReadOnlyList<ModelOptions> configured) => configured;
}
