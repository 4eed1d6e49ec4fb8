using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Inference;

/// <summary>
/// One model to serve. Its own settings override the global <c>Inference</c> ones for this model alone; each left
/// unset (null) takes the global value.
/// </summary>
public sealed class ModelOptions
{
    /// <summary>At most this many aliases per model.</summary>
    public const int MaxAliases = 8;

    /// <summary>Name clients use in the <c>model</c> field; defaults to the file name without <c>.gguf</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Path of the GGUF file.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// Further names clients may put in <c>model</c> for this model (at most 8; each unique across all models' names
    /// and aliases); answers name the model by its <c>Name</c>. Default none.
    /// </summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>
    /// How this model is prompted with tools and writes its calls: <c>auto</c> (from the markers of the GGUF's chat
    /// template: <c>hermes</c> for Hermes and Qwen 2.5/3, <c>mistral</c>, <c>llama3</c> for Llama 3.1+, else
    /// <c>generic</c>), or one of <c>generic</c>, <c>llama3</c>, <c>hermes</c>, <c>mistral</c>. Default <c>auto</c>.
    /// </summary>
    public string ToolCallFormat { get; set; } = "auto";

    /// <summary>
    /// What the model is for: <c>chat</c> (generates, and can embed), <c>embedding</c> (served on <c>/v1/embeddings</c> only, probed by
    /// embedding a short text; encoder-only GGUFs such as BERT need it), or <c>guard</c> (reserved for the safety supervisor: it loads like a
    /// chat model, but no public endpoint serves it yet). A request that names no model goes to the first chat model. Default <c>chat</c>.
    /// </summary>
    public string Role { get; set; } = "chat";

    /// <summary>This model's <c>Inference:ContextSize</c> (tokens per sequence). Default none: the global value.</summary>
    [Range(64, 1 << 20)]
    public int? ContextSize { get; set; }

    /// <summary>This model's <c>Inference:MaxSequences</c> (at most <c>Inference:BatchSize</c>). Default none: the global value.</summary>
    [Range(1, 256)]
    public int? MaxSequences { get; set; }

    /// <summary>This model's <c>Inference:QueueCapacity</c>. Default none: the global value.</summary>
    [Range(0, 100_000)]
    public int? QueueCapacity { get; set; }

    /// <summary>This model's <c>Inference:GpuLayers</c>. Default none: the global value.</summary>
    [Range(0, 100_000)]
    public int? GpuLayers { get; set; }

    /// <summary>This model's <c>Inference:Threads</c> (0: the physical cores). Default none: the global value.</summary>
    [Range(0, 1024)]
    public int? Threads { get; set; }

    /// <summary>This model's <c>Inference:FallbackChatTemplate</c>. Default none: the global value.</summary>
    public string? FallbackChatTemplate { get; set; }

    /// <summary>
    /// When the model is in memory: <c>pinned</c> (loaded at start and kept) or <c>on-demand</c> (loaded at its first
    /// request, unloaded after <c>KeepAlive</c> without requests, and evicted least recently used first when another
    /// model's load would exceed the memory budget). Default <c>pinned</c>.
    /// </summary>
    public string LoadPolicy { get; set; } = "pinned";

    /// <summary>How long an on-demand model stays loaded without requests. Default none: <c>Inference:KeepAlive</c>.</summary>
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>Prompt-prefix reuse for this model alone (true or false). Default: <c>Inference:PrefixCache</c>.</summary>
    public bool? PrefixCache { get; set; }

    /// <summary>Prompt-lookup speculation for this model alone (true or false). Default: <c>Inference:Speculation</c>.</summary>
    public bool? Speculation { get; set; }

    /// <summary>The name the model is served under: <see cref="Name"/>, or the file name without <c>.gguf</c>.</summary>
    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? System.IO.Path.GetFileNameWithoutExtension(Path) : Name;

    /// <summary>Another version (file) of this model, served under the same name with the same settings.</summary>
    public ModelOptions WithPath(string path)
    {
        var version = (ModelOptions)MemberwiseClone();
        version.Name = EffectiveName;
        version.Path = path;
        version.Aliases = [.. Aliases];
        return version;
    }

    internal static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');

    /// <summary>This entry's own settings checked alone and against the global ones; <paramref name="key"/> is <c>Inference:Models:N</c>.</summary>
    internal IEnumerable<string> Problems(string key, InferenceOptions global)
    {
        var ranges = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), ranges, validateAllProperties: true);
        foreach (var range in ranges)
        {
            yield return $"{key}:{string.Join(",", range.MemberNames)} ('{EffectiveName}'): {range.ErrorMessage}";
        }

        var maxSequences = MaxSequences ?? global.MaxSequences;
        if (MaxSequences > global.BatchSize)
        {
            yield return $"{key}:MaxSequences ('{EffectiveName}') cannot exceed Inference:BatchSize (every running sequence adds a token to each batch).";
        }

        if (global.MaxSequencesPerKey > maxSequences && MaxSequences is not null)
        {
            yield return $"Inference:MaxSequencesPerKey cannot exceed {key}:MaxSequences ('{EffectiveName}').";
        }

        if (!ModelRoles.TryParse(Role, out _))
        {
            yield return $"{key}:Role ('{EffectiveName}') '{Role}' is not a role; use one of {string.Join(", ", ModelRoles.SettingNames)}.";
        }

        if (FallbackChatTemplate is { } template && !ChatTemplateNames.IsKnown(template))
        {
            yield return $"{key}:FallbackChatTemplate ('{EffectiveName}') '{template}' is not a known template name ({string.Join(", ", ChatTemplateNames.All)}).";
        }

        if (Models.ModelLoadPolicies.Parse(LoadPolicy) is null)
        {
            yield return $"{key}:LoadPolicy ('{EffectiveName}') '{LoadPolicy}' must be 'pinned' or 'on-demand'.";
        }

        if (KeepAlive is { } keepAlive && (keepAlive < TimeSpan.FromSeconds(1) || keepAlive > TimeSpan.FromDays(7)))
        {
            yield return $"{key}:KeepAlive ('{EffectiveName}') must be between 1 second and 7 days.";
        }

        if (Aliases.Count > MaxAliases)
        {
            yield return $"{key}:Aliases ('{EffectiveName}') takes at most {MaxAliases} names.";
        }

        foreach (var alias in Aliases.Where(a => a is null || !IsValidName(a)))
        {
            yield return $"{key}:Aliases ('{EffectiveName}'): alias '{alias}' must be 1-64 characters of letters, digits, '.', '_', '-' or ':'.";
        }
    }
}
