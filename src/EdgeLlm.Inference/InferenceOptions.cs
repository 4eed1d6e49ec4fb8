using System.ComponentModel.DataAnnotations;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference;

/// <summary>Settings of the model runtime and the scheduler (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";

    /// <summary>How long a key counts as present after its last request, for the automatic share of sequences.</summary>
    internal static readonly TimeSpan ShareWindow = TimeSpan.FromMinutes(1);

    /// <summary>Models to serve; the first chat model is the default for requests that name none.</summary>
    public List<ModelOptions> Models { get; set; } = [];

    /// <summary>Tokens of context each sequence gets (prompt + completion). Default 2048. Never the model's full training context unless asked.</summary>
    [Range(64, 1 << 20)]
    public int ContextSize { get; set; } = 2048;

    /// <summary>Sequences decoded together in one batch (continuous batching). Default 8.</summary>
    [Range(1, 256)]
    public int MaxSequences { get; set; } = 8;

    /// <summary>Requests allowed to wait for a free sequence; beyond it requests are refused at once with 429. Default 32.</summary>
    [Range(0, 100_000)]
    public int QueueCapacity { get; set; } = 32;

    /// <summary>
    /// Sequences one API key may hold at once; a tenant's keys together are held to the same number. Default none
    /// (automatic): a key may use every sequence while it is the only key that used this model in the last minute, and
    /// one fewer while another key did, so a second user always finds a sequence free or the next one that frees
    /// (waiting requests are taken across keys fairly, the key with the fewest running first).
    /// </summary>
    [Range(1, 256)]
    public int? MaxSequencesPerKey { get; set; }

    /// <summary>
    /// Requests one API key (and one tenant's keys together) may have waiting beyond its sequences; more are refused
    /// with 429 <c>queue_full</c> naming the key's share. Default none (automatic): the whole queue while the key is
    /// alone; while other keys used this model in the last minute, an equal part of all places (sequences + queue) for
    /// each, so one key's flood cannot take the places another key's next requests need. A key with nothing running
    /// or waiting is always admitted, even when others filled the queue.
    /// </summary>
    [Range(0, 100_000)]
    public int? MaxQueuedPerKey { get; set; }

    /// <summary>Tokens per native decode call (llama.cpp n_batch, also n_ubatch). Default 512.</summary>
    [Range(32, 8192)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Prompt tokens processed per scheduler step, so a long new prompt does not stall running streams. Default 128.</summary>
    [Range(1, 8192)]
    public int PromptChunkTokens { get; set; } = 128;

    /// <summary>CPU threads for decoding; 0 means the number of physical cores. Default 0.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Layers offloaded to the GPU; null means all of them when a GPU backend is present, otherwise 0. Default null.</summary>
    [Range(0, 100_000)]
    public int? GpuLayers { get; set; }

    /// <summary>
    /// ggml backend modules to load before any model, by path: e.g. a CUDA <c>libggml-cuda.so</c> built by
    /// <c>scripts/build-cuda-module.sh</c> for LLamaSharp's ggml. A module that cannot be loaded stops the
    /// daemon with an error naming what is missing, unless <c>CpuFallback</c> is set. Default none.
    /// </summary>
    public List<string> BackendModules { get; set; } = [];

    /// <summary>
    /// Folder of llama.cpp natives built by <c>scripts/build-natives.sh</c> (libraries, <c>natives.manifest</c>,
    /// <c>llama.abi</c>), checked against its manifest and LLamaSharp's ABI before anything loads. Set, a folder that
    /// fails the checks stops the daemon. Default empty: the <c>natives</c> folder beside the daemon when it has a
    /// manifest (falling back to LLamaSharp's own natives, with a warning, when it fails), else LLamaSharp's own.
    /// </summary>
    public string NativeDirectory { get; set; } = "";

    /// <summary>
    /// Serve on the CPU when a backend module cannot be loaded or finds no device, instead of refusing to
    /// start. Default false: a GPU appliance that silently runs on its CPU is slower by an order of magnitude.
    /// </summary>
    public bool CpuFallback { get; set; }

    /// <summary>Index of the GPU that holds the model when offloading. Default 0.</summary>
    [Range(0, 64)]
    public int MainGpu { get; set; }

    /// <summary>Map model files into memory instead of reading them (shares pages, starts fast). Default true.</summary>
    public bool UseMemoryMap { get; set; } = true;

    /// <summary>Wall-clock limit for one request, queueing included. Default 5 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Completion tokens when a request sets no <c>max_tokens</c>; always clamped to the context left. Default 512.</summary>
    [Range(1, 1 << 20)]
    public int DefaultMaxTokens { get; set; } = 512;

    /// <summary>
    /// Chat template for models whose GGUF carries no <c>tokenizer.chat_template</c>: a llama.cpp built-in
    /// template name (<c>chatml</c>, <c>llama2</c>, <c>zephyr</c>, …) or <c>plain</c> (message texts joined by
    /// new lines, for base models such as stories260K). Default <c>chatml</c>.
    /// </summary>
    [Required]
    public string FallbackChatTemplate { get; set; } = "chatml";

    /// <summary>
    /// Compiled JSON-schema grammars kept (least recently used dropped first), keyed by the schema's hash, so an app
    /// that sends the same response_format or tools on every request compiles them once. Default 256.
    /// </summary>
    [Range(1, 100_000)]
    public int GrammarCacheEntries { get; set; } = 256;

    /// <summary>
    /// Host memory (bytes) the loaded models may take together, by their footprint estimates (weights, KV cache,
    /// compute buffers). Default none: what the device reports (physical memory, or the container's cgroup limit when
    /// lower) minus a margin of 10 % (at least 1 GiB) for the daemon itself and the system.
    /// </summary>
    [Range(1L << 20, long.MaxValue)]
    public long? MemoryBudgetBytes { get; set; }

    /// <summary>
    /// GPU memory (bytes) the models offloaded to each GPU may take, by GPU index (<c>Inference:GpuMemoryBudgetBytes:0</c>).
    /// Default none: each GPU's free memory at start, as ggml reports it, minus 10 % (at least 1 GiB).
    /// </summary>
    public List<long> GpuMemoryBudgetBytes { get; set; } = [];

    /// <summary>How long an on-demand model stays loaded without requests, unless its entry sets its own. Default 5 minutes.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Keep the KV cells of finished requests' prompts (and answers) and start a new request whose prompt begins the
    /// same way from them, decoding only the rest. A model whose memory cannot be cut back safely (sliding-window or
    /// recurrent) serves without it, said once in the log. Default true.
    /// </summary>
    public bool PrefixCache { get; set; } = true;

    /// <summary>Finished prefixes kept per model, each holding one sequence id beside the running ones. Default 8.</summary>
    [Range(0, 255)]
    public int PrefixCacheEntries { get; set; } = 8;

    /// <summary>
    /// Most KV cells the kept prefixes of one model may hold together (least recently used dropped first); running
    /// requests always come first, whatever this allows. Kept cells lengthen the stretch of the cache every token
    /// attends over, so the cap bounds what they cost running streams. Default none: half the model's cells
    /// (ContextSize × MaxSequences / 2), at least one ContextSize.
    /// </summary>
    [Range(0, 1 << 24)]
    public int? PrefixCacheMaxCells { get; set; }

    /// <summary>Shortest shared prefix, in tokens, worth reusing (and shortest history worth keeping). Default 16.</summary>
    [Range(1, 1 << 20)]
    public int PrefixCacheMinTokens { get; set; } = 16;

    /// <summary>
    /// Prompt-lookup speculative decoding: when the last tokens of an answer occur earlier in its prompt or output,
    /// the tokens that followed them there are checked in the same decode step, and every one the model agrees with
    /// is emitted at once. Used only while few streams run (<c>Inference:SpeculationMaxStreams</c>). Default true.
    /// </summary>
    public bool Speculation { get; set; } = true;

    /// <summary>Most draft tokens checked for one stream in one step. Default 8.</summary>
    [Range(1, 64)]
    public int SpeculationMaxDraftTokens { get; set; } = 8;

    /// <summary>Shortest run of an answer's last tokens looked up in its prompt and output. Default 2.</summary>
    [Range(1, 8)]
    public int SpeculationNgramMin { get; set; } = 2;

    /// <summary>Longest run of an answer's last tokens looked up (longer runs are tried first). Default 4.</summary>
    [Range(1, 8)]
    public int SpeculationNgramMax { get; set; } = 4;

    /// <summary>
    /// Most streams decoding together for speculation to be used; above it every step carries one token per stream,
    /// since a full batch has no spare compute for drafts. Default 2.
    /// </summary>
    [Range(0, 256)]
    public int SpeculationMaxStreams { get; set; } = 2;

    /// <summary>Largest model file accepted, in bytes. Default 64 GiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxModelFileBytes { get; set; } = 64L << 30;

    /// <summary>
    /// A model served from <paramref name="path"/> (a version an update installed): the configured entry of that name with
    /// its own settings and aliases, or a plain entry for a model the configuration does not name.
    /// </summary>
    public ModelOptions ModelVersion(string name, string path) =>
        Models.FirstOrDefault(m => string.Equals(m.EffectiveName, name, StringComparison.Ordinal)) is { } configured
            ? configured.WithPath(path)
            : new ModelOptions { Name = name, Path = path };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Models.Count == 0)
        {
            yield return new ValidationResult("Inference:Models must name at least one model (or pass --model PATH).", [nameof(Models)]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (model, index) in Models.Select((m, i) => (m, i)))
        {
            if (string.IsNullOrWhiteSpace(model.Path))
            {
                yield return new ValidationResult("Every entry of Inference:Models needs a Path.", [nameof(Models)]);
            }
            else if (!ModelOptions.IsValidName(model.EffectiveName))
            {
                yield return new ValidationResult($"Model name '{model.EffectiveName}' must be 1-64 characters of letters, digits, '.', '_', '-' or ':'.", [nameof(Models)]);
            }
            else if (!names.Add(model.EffectiveName))
            {
                yield return new ValidationResult($"Model name '{model.EffectiveName}' is used twice.", [nameof(Models)]);
            }

            if (ToolCallDialects.Parse(model.ToolCallFormat).Error is { } toolFormatError)
            {
                yield return new ValidationResult($"Inference:Models ToolCallFormat of '{model.EffectiveName}': {toolFormatError}", [nameof(Models)]);
            }

            foreach (var problem in model.Problems($"Inference:Models:{index}", this))
            {
                yield return new ValidationResult(problem, [nameof(Models)]);
            }

            // Aliases share one namespace with the names, so a request's model field always means one model.
            foreach (var alias in model.Aliases.Where(ModelOptions.IsValidName))
            {
                if (!names.Add(alias))
                {
                    yield return new ValidationResult($"Inference:Models:{index}:Aliases ('{model.EffectiveName}'): '{alias}' is already a model name or alias.", [nameof(Models)]);
                }
            }
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromHours(24))
        {
            yield return new ValidationResult("Inference:RequestTimeout must be between 0 and 24 hours.", [nameof(RequestTimeout)]);
        }

        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("Inference:KeepAlive must be between 1 second and 7 days.", [nameof(KeepAlive)]);
        }

        if (GpuMemoryBudgetBytes.Count > 64 || GpuMemoryBudgetBytes.Any(b => b < 1L << 20))
        {
            yield return new ValidationResult("Inference:GpuMemoryBudgetBytes takes at most 64 budgets, each at least 1 MiB.", [nameof(GpuMemoryBudgetBytes)]);
        }

        if (BackendModules.Count > 8 || BackendModules.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Inference:BackendModules takes at most 8 non-empty paths.", [nameof(BackendModules)]);
        }

        if (NativeDirectory.Length > 4096 || NativeDirectory.Contains('\0', StringComparison.Ordinal) || (NativeDirectory.Length > 0 && string.IsNullOrWhiteSpace(NativeDirectory)))
        {
            yield return new ValidationResult("Inference:NativeDirectory must be a folder path (or empty for the default).", [nameof(NativeDirectory)]);
        }

        if (MaxSequences > BatchSize)
        {
            yield return new ValidationResult("Inference:MaxSequences cannot exceed Inference:BatchSize (every running sequence adds a token to each batch).", [nameof(MaxSequences)]);
        }

        if (MaxSequencesPerKey > MaxSequences)
        {
            yield return new ValidationResult("Inference:MaxSequencesPerKey cannot exceed Inference:MaxSequences.", [nameof(MaxSequencesPerKey)]);
        }

        if (PromptChunkTokens > BatchSize)
        {
            yield return new ValidationResult("Inference:PromptChunkTokens cannot exceed Inference:BatchSize.", [nameof(PromptChunkTokens)]);
        }

        if (MaxSequences + PrefixCacheEntries > 256 || Models.Any(m => (m.MaxSequences ?? MaxSequences) + PrefixCacheEntries > 256))
        {
            yield return new ValidationResult("Inference:MaxSequences (also a model's own) plus Inference:PrefixCacheEntries cannot exceed 256 (llama.cpp's sequences per context).", [nameof(PrefixCacheEntries)]);
        }

        if (SpeculationNgramMin > SpeculationNgramMax)
        {
            yield return new ValidationResult("Inference:SpeculationNgramMin cannot exceed Inference:SpeculationNgramMax.", [nameof(SpeculationNgramMin)]);
        }

        if (SpeculationMaxDraftTokens >= BatchSize)
        {
            yield return new ValidationResult("Inference:SpeculationMaxDraftTokens must be below Inference:BatchSize (a stream's token and its drafts go in one batch).", [nameof(SpeculationMaxDraftTokens)]);
        }

        if (!ChatTemplateNames.IsKnown(FallbackChatTemplate))
        {
            yield return new ValidationResult($"Inference:FallbackChatTemplate '{FallbackChatTemplate}' is not a known template name ({string.Join(", ", ChatTemplateNames.All)}).", [nameof(FallbackChatTemplate)]);
        }
    }
}
