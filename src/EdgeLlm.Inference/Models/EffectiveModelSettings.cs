namespace EdgeLlm.Inference.Models;

/// <summary>
/// The settings one model is served with: each of its own <see cref="ModelOptions"/> overrides where set, else the
/// global <see cref="InferenceOptions"/> value. The one place that resolves them, so the loader, the scheduler, the
/// status and an update's probe all see the same values.
/// </summary>
/// <param name="ContextSize">Tokens of context per sequence (prompt + completion).</param>
/// <param name="MaxSequences">Sequences decoded together.</param>
/// <param name="QueueCapacity">Requests allowed to wait for a free sequence.</param>
/// <param name="GpuLayers">Layers offloaded to the GPU; null: all of them when a GPU backend is present.</param>
/// <param name="Threads">CPU threads; 0: the physical cores.</param>
/// <param name="FallbackChatTemplate">Chat template when the GGUF carries none.</param>
/// <param name="Role">What the model is for: which endpoints serve it and how it is probed.</param>
/// <param name="PrefixCache">Whether finished prompts' KV cells are kept for the next request that starts the same way (when the model allows it).</param>
/// <param name="Speculation">Whether prompt-lookup speculation is used (when the model allows it).</param>
public sealed record EffectiveModelSettings(
    int ContextSize, int MaxSequences, int QueueCapacity, int? GpuLayers, int Threads, string FallbackChatTemplate, ModelRole Role = ModelRole.Chat, bool PrefixCache = true, bool Speculation = true)
{
    public static EffectiveModelSettings Resolve(ModelOptions model, InferenceOptions global)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(global);
        return new(
            model.ContextSize ?? global.ContextSize,
            model.MaxSequences ?? global.MaxSequences,
            model.QueueCapacity ?? global.QueueCapacity,
            model.GpuLayers ?? global.GpuLayers,
            model.Threads ?? global.Threads,
            model.FallbackChatTemplate ?? global.FallbackChatTemplate,
            ModelRoles.Parse(model.Role),
            model.PrefixCache ?? global.PrefixCache,
            model.Speculation ?? global.Speculation);
    }
}
