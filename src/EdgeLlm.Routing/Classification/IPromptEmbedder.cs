namespace EdgeLlm.Routing.Classification;

/// <summary>
/// The seam through which a classifier embeds text with a served model, without knowing how models run. The daemon's
/// composition adapts it to the models' embedding generator.
/// </summary>
public interface IPromptEmbedder
{
    /// <summary>
    /// The embedding of <paramref name="text"/> by <paramref name="model"/> (a name or alias), or null when the model
    /// cannot embed it now (not loaded, its queue full, the text longer than its context).
    /// </summary>
    Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken);
}
