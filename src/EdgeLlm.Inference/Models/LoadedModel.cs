using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;
using EdgeLlm.Inference.Scheduling;
using LLama;

namespace EdgeLlm.Inference.Models;

/// <summary>A model that is loaded and served: its scheduler, tokenizer and chat template.</summary>
public sealed class LoadedModel : IAsyncDisposable
{
    private readonly LLamaWeights _weights;
    private int _disposed;

    internal LoadedModel(string name, string filePath, string architecture, EffectiveModelSettings settings, DateTimeOffset loadedAt, LLamaWeights weights, ChatPromptFormatter chat, InferenceScheduler scheduler)
    {
        Name = name;
        FilePath = filePath;
        Architecture = architecture;
        Settings = settings;
        LoadedAt = loadedAt;
        _weights = weights;
        Tokenizer = new ModelTokenizer(weights);
        Chat = chat;
        Scheduler = scheduler;
    }

    /// <summary>The name clients put in <c>model</c>.</summary>
    public string Name { get; }

    public string FilePath { get; }

    public string Architecture { get; }

    /// <summary>Further names clients may use in <c>model</c> (Inference:Models Aliases).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The settings this model is served with (its own overrides, else the global ones).</summary>
    public EffectiveModelSettings Settings { get; }

    /// <summary>Tokens of context one request may use (prompt + completion).</summary>
    public int ContextSize => Settings.ContextSize;

    public DateTimeOffset LoadedAt { get; }

    /// <summary>What this model was estimated to take in memory, from its GGUF header before it loaded.</summary>
    public ModelFootprint Footprint { get; init; } = new(0, 0, 0);

    /// <summary>When a request was last admitted to this model (generation or embedding); null before the first.</summary>
    public DateTimeOffset? LastUsed => Scheduler.LastAdmitted;

    /// <summary>How this version's recent generations ended (kept with the version, so a promoted candidate keeps its own).</summary>
    public GenerationOutcomes Outcomes => Scheduler.Outcomes;

    public ModelTokenizer Tokenizer { get; }

    /// <summary>Length of this model's embedding vectors (its hidden size).</summary>
    public int EmbeddingSize => _weights.EmbeddingSize;

    public ChatPromptFormatter Chat { get; }

    /// <summary>How this model is prompted with tools and writes its calls (Inference:Models ToolCallFormat).</summary>
    public IToolCallDialect ToolCalls { get; init; } = ToolCallDialects.For(ToolCallFormat.Generic, SchemaRuleCompiler.Instance);

    public InferenceScheduler Scheduler { get; }

    /// <summary>The weights' size as llama.cpp reports it once loaded.</summary>
    internal long WeightsBytes => (long)_weights.SizeInBytes;

    /// <summary>Lets in-flight requests finish (up to <paramref name="timeout"/>), then unloads.</summary>
    internal async Task RetireAsync(TimeSpan timeout)
    {
        await Scheduler.DrainAsync(timeout);
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        InferenceMetrics.Unloaded(this);
        await Scheduler.DisposeAsync();
        _weights.Dispose();
    }
}
