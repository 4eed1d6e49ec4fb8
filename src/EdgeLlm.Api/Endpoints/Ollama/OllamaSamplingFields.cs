using EdgeLlm.Api.Contracts;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// An Ollama request's <c>options</c> as the sampling fields <c>/v1</c> reads, so the same factory checks them with the
/// same ranges and codes; <see cref="SamplingRequestFields.MaxTokens"/> is <c>num_predict</c> (null: the daemon's default).
/// </summary>
internal sealed class OllamaSamplingFields : SamplingRequestFields
{
    /// <summary>No options: the defaults <c>/v1</c> uses (temperature 1, top_p 1, no penalties).</summary>
    public static OllamaSamplingFields Defaults => new();
}
