using System.Diagnostics;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;
using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.PrefixReuse;
using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Loads a GGUF model through LLamaSharp with explicit settings instead of LLamaSharp's defaults:
/// validated in managed code first, memory-mapped, one thread per physical core, every layer on the GPU
/// when a GPU backend is present, and a context sized from configuration (never the training context).
/// </summary>
internal sealed class ModelLoader(IOptions<InferenceOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelLoader>();

    /// <summary>Checks <paramref name="model"/>'s file and estimates its footprint from its header, without loading it.</summary>
    /// <exception cref="ModelLoadException">The file is missing, too large or not a GGUF llama.cpp can serve.</exception>
    public (EffectiveModelSettings Settings, ModelFootprint Footprint) Inspect(ModelOptions model)
    {
        var settings = options.Value;
        var effective = EffectiveModelSettings.Resolve(model, settings);
        var check = Validate(model.EffectiveName, Path.GetFullPath(model.Path), settings);
        return (effective, ModelFootprint.Estimate(check.Summary!, effective, settings.BatchSize));
    }

    public LoadedModel Load(ModelOptions model)
    {
        var settings = options.Value;
        var name = model.EffectiveName;
        var path = Path.GetFullPath(model.Path);
        var check = Validate(name, path, settings);
        var architecture = check.Summary!.Architecture;
        var effective = ForArchitecture(name, EffectiveModelSettings.Resolve(model, settings), check.Summary);
        var pooling = EmbeddingPooling.Of(check.Summary);
        var footprint = ModelFootprint.Estimate(check.Summary, effective, settings.BatchSize);

        NativeLogBridge.Install(loggerFactory);
        InferenceLog.LoadingModel(_logger, name, new FileInfo(path).Length, architecture);
        var stopwatch = Stopwatch.StartNew();
        var parameters = CreateParameters(path, settings, effective, pooling);
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception ex) when (ex is LLama.Exceptions.LoadWeightsFailedException or LLama.Exceptions.RuntimeError)
        {
            throw new ModelLoadException(name, "load_failed", "llama.cpp could not load the model file.");
        }

        try
        {
            var template = weights.Metadata.GetValueOrDefault("tokenizer.chat_template");
            var chat = new ChatPromptFormatter(template, effective.FallbackChatTemplate);
            var tools = ToolCallDialects.For(ToolCallDialects.Parse(model.ToolCallFormat).Resolve(template), SchemaRuleCompiler.Instance);
            if (!chat.UsesModelTemplate)
            {
                InferenceLog.UsingFallbackTemplate(_logger, name, chat.TemplateName);
            }

            var engine = new LlamaEngine(weights, parameters, PrefixReuse(settings, effective), pooling);
            if (!engine.Support.Supported && (effective.PrefixCache || effective.Speculation) && effective.Role != ModelRole.Embedding)
            {
                InferenceLog.KvReuseUnavailable(_logger, name, engine.Support.Reason!);
            }

            var schedulerSettings = SchedulerSettings.From(settings, effective) with
            {
                Speculation = effective.Speculation && engine.Support.Supported ? SpeculationSettings.From(settings) : null,
            };
            var scheduler = new InferenceScheduler(engine, schedulerSettings, time, loggerFactory.CreateLogger<InferenceScheduler>());
            InferenceLog.ModelLoaded(_logger, name, stopwatch.ElapsedMilliseconds, effective.ContextSize, effective.MaxSequences, parameters.Threads ?? 0, parameters.GpuLayerCount, settings.BatchSize);
            var loaded = new LoadedModel(name, path, architecture, effective, time.GetUtcNow(), weights, chat, scheduler) { ToolCalls = tools, Aliases = [.. model.Aliases], Footprint = footprint };
            InferenceMetrics.Loaded(loaded, stopwatch.Elapsed);
            return loaded;
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>
    /// llama.cpp's parameters for a model served with <paramref name="model"/>; batch, GPU and memory-map from <paramref name="settings"/>.
    /// An embedding model gets one embedding context pooled by <paramref name="pooling"/> instead of the generation context.
    /// </summary>
    internal static ModelParams CreateParameters(string path, InferenceOptions settings, EffectiveModelSettings model, LLamaPoolingType pooling = LLamaPoolingType.Mean)
    {
        var threads = model.Threads > 0 ? model.Threads : CpuTopology.PhysicalCores();
        var gpuLayers = model.GpuLayers ?? (NativeApi.llama_supports_gpu_offload() ? int.MaxValue : 0);
        var parameters = new ModelParams(path)
        {
            // A unified cache of ContextSize cells per sequence: admission caps every request (prompt +
            // max_tokens) at ContextSize, so the cells can never run out. Unified, because split
            // per-sequence caches batch sequences together only when their ids come in consecutive
            // order, which continuous batching cannot promise.
            ContextSize = checked((uint)(model.ContextSize * model.MaxSequences)),
            // Kept prefixes hold sequence ids of their own beside the running ones, but no cells of their own: they
            // live in the running sequences' cells while those are free, and give them back whenever one needs them.
            SeqMax = (uint)(model.MaxSequences + (model.PrefixCache ? settings.PrefixCacheEntries : 0)),
            KVUnified = true,
            BatchSize = (uint)settings.BatchSize,
            UBatchSize = (uint)settings.BatchSize,
            Threads = threads,
            BatchThreads = threads,
            GpuLayerCount = gpuLayers,
            MainGpu = settings.MainGpu,
            LoadMode = settings.UseMemoryMap ? LLamaLoadMode.MemoryMap : LLamaLoadMode.None,
            Embeddings = false,
        };
        if (model.Role == ModelRole.Embedding)
        {
            // One text at a time, all of it in one micro-batch: an encoder attends over the whole text at once.
            var context = checked((uint)model.ContextSize);
            parameters.ContextSize = context;
            parameters.SeqMax = 1;
            parameters.BatchSize = context;
            parameters.UBatchSize = context;
            parameters.Embeddings = true;
            parameters.PoolingType = pooling;
        }

        return parameters;
    }

    /// <summary>How a model's context keeps prefixes (its cell count is filled in by the engine); null when neither reuse nor speculation is on.</summary>
    internal static PrefixCacheSettings? PrefixReuse(InferenceOptions settings, EffectiveModelSettings model) =>
        model.Role == ModelRole.Embedding || !(model.PrefixCache || model.Speculation)
            ? null
            : new PrefixCacheSettings(
                model.MaxSequences,
                model.PrefixCache ? settings.PrefixCacheEntries : 0,
                settings.PrefixCacheMaxCells ?? Math.Max(model.ContextSize, model.ContextSize * model.MaxSequences / 2),
                settings.PrefixCacheMinTokens,
                TotalCells: 0);

    /// <summary>
    /// The settings an encoder-only model (BERT) can be served with: only as an embedding model, and with no more context than it was
    /// trained for (its learned positions end there).
    /// </summary>
    private static EffectiveModelSettings ForArchitecture(string name, EffectiveModelSettings effective, GgufSummary summary)
    {
        if (!EncoderArchitectures.Contains(summary.Architecture))
        {
            return effective;
        }

        if (effective.Role != ModelRole.Embedding)
        {
            throw new ModelLoadException(name, "model_cannot_generate", $"Architecture '{summary.Architecture}' only embeds; configure it with Role embedding.");
        }

        return summary.ContextLength is { } trained && trained < effective.ContextSize ? effective with { ContextSize = (int)trained } : effective;
    }

    private GgufValidationResult Validate(string name, string path, InferenceOptions settings)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new ModelLoadException(name, "model_file_missing", "The model file does not exist.");
        }

        if (file.Length > settings.MaxModelFileBytes)
        {
            throw new ModelLoadException(name, "model_file_too_large", $"The model file is larger than Inference:MaxModelFileBytes ({settings.MaxModelFileBytes} bytes).");
        }

        var result = new GgufValidator().Validate(path);
        if (!result.IsValid)
        {
            InferenceLog.ModelRejected(_logger, name, result.Rejection.ToString(), result.Message);
            throw new ModelLoadException(name, "gguf_" + result.Rejection, result.Message);
        }

        return result;
    }
}
