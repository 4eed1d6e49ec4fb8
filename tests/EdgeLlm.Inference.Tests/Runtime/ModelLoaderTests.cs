using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Tests.Runtime;

public sealed class ModelLoaderTests
{
    [Fact]
    public async Task ARealModelLoadsWithTheConfiguredContextAndAnswers()
    {
        await using var model = Loader(o => o.ContextSize = 256).Load(new ModelOptions { Path = TestModels.Stories260K });

        Assert.Equal("stories260K", model.Name);
        Assert.Equal("llama", model.Architecture);
        Assert.Equal(256, model.ContextSize);
        Assert.Equal(512, model.Tokenizer.VocabularySize);
        var admitted = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(
            new GenerationRequest(model.Tokenizer.Tokenize("Once upon a time", false), EdgeLlm.Inference.Sampling.SamplingParameters.Greedy, 8, []), CancellationToken.None));
        var events = new List<GenerationEvent>();
        await foreach (var item in admitted.Stream.ReadAllAsync())
        {
            events.Add(item);
        }

        Assert.Equal(FinishReason.Length, Assert.IsType<GenerationFinished>(events[^1]).Reason);
        Assert.Contains("there", string.Concat(events.OfType<TextDelta>().Select(d => d.Text)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void ATruncatedModelIsRefusedWithAReasonBeforeNativeCodeSeesIt(double keep)
    {
        using var file = new TempFile(File.ReadAllBytes(TestModels.Stories260K) is var bytes ? bytes[..(int)(bytes.Length * keep)] : []);

        var error = Assert.Throws<ModelLoadException>(() => Loader().Load(new ModelOptions { Path = file.Path }));

        Assert.StartsWith("gguf_", error.Code, StringComparison.Ordinal);
        Assert.DoesNotContain(file.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptedHeaderIsRefusedWithAReason()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        BitConverter.GetBytes(long.MaxValue).CopyTo(bytes, 16); // the metadata count
        using var file = new TempFile(bytes);

        var error = Assert.Throws<ModelLoadException>(() => Loader().Load(new ModelOptions { Path = file.Path }));

        Assert.Equal("gguf_TooManyKeyValues", error.Code);
    }

    [Fact]
    public void AMissingOrOversizedFileIsRefusedBeforeReadingIt()
    {
        Assert.Equal("model_file_missing", Assert.Throws<ModelLoadException>(() => Loader().Load(new ModelOptions { Path = "/nonexistent/model.gguf" })).Code);
        Assert.Equal("model_file_too_large", Assert.Throws<ModelLoadException>(() => Loader(o => o.MaxModelFileBytes = 1024).Load(new ModelOptions { Path = TestModels.Stories260K })).Code);
    }

    [Fact]
    public void LlamaSharpDefaultsAreOverriddenExplicitly()
    {
        var options = new InferenceOptions { ContextSize = 1024, MaxSequences = 4, BatchSize = 256 };
        var parameters = ModelLoader.CreateParameters("model.gguf", options, EffectiveModelSettings.Resolve(new ModelOptions(), options));

        // The context's cells are the running sequences'; kept prefixes add sequence ids only.
        Assert.Equal(4096u, parameters.ContextSize);
        Assert.Equal(4u + 8u, parameters.SeqMax);
        Assert.True(parameters.KVUnified);
        Assert.Equal(256u, parameters.BatchSize);
        Assert.Equal(CpuTopology.PhysicalCores(), parameters.Threads);
        Assert.Equal(0, parameters.GpuLayerCount);
        Assert.Equal(LLama.Native.LLamaLoadMode.MemoryMap, parameters.LoadMode);
    }

    [Fact]
    public void AModelWithoutPrefixReuseGetsIdsForItsRunningSequencesOnly()
    {
        var options = new InferenceOptions { ContextSize = 1024, MaxSequences = 4, BatchSize = 256, PrefixCacheEntries = 5 };
        var off = EffectiveModelSettings.Resolve(new ModelOptions { PrefixCache = false }, options);
        var on = EffectiveModelSettings.Resolve(new ModelOptions(), options);

        Assert.Equal(4u, ModelLoader.CreateParameters("model.gguf", options, off).SeqMax);
        Assert.Equal(9u, ModelLoader.CreateParameters("model.gguf", options, on).SeqMax);
        Assert.Equal(4096u, ModelLoader.CreateParameters("model.gguf", options, on).ContextSize);
    }

    [Fact]
    public void AModelsOwnSettingsSizeItsContextSequencesThreadsAndLayers()
    {
        var options = new InferenceOptions { ContextSize = 1024, MaxSequences = 4, BatchSize = 256, Threads = 3 };
        var model = new ModelOptions { Path = "model.gguf", ContextSize = 256, MaxSequences = 2, Threads = 1, GpuLayers = 0 };

        var parameters = ModelLoader.CreateParameters("model.gguf", options, EffectiveModelSettings.Resolve(model, options));

        Assert.Equal(512u, parameters.ContextSize);
        Assert.Equal(2u + 8u, parameters.SeqMax);
        Assert.Equal(1, parameters.Threads);
        Assert.Equal(1, parameters.BatchThreads);
        Assert.Equal(0, parameters.GpuLayerCount);
        Assert.Equal(256u, parameters.BatchSize);
    }

    [Fact]
    public async Task ARealModelIsServedWithItsOwnContextQueueAndFallbackTemplate()
    {
        var entry = new ModelOptions { Path = TestModels.Stories260K, Aliases = ["tiny-stories"], ContextSize = 128, MaxSequences = 1, QueueCapacity = 0, FallbackChatTemplate = "plain" };
        await using var model = Loader().Load(entry);

        Assert.Equal(128, model.ContextSize);
        Assert.Equal(new EffectiveModelSettings(128, 1, 0, null, 0, "plain"), model.Settings);
        Assert.Equal(["tiny-stories"], model.Aliases);
        Assert.Equal("plain", model.Chat.TemplateName);
        var hello = model.Tokenizer.Tokenize("Once upon a time", false);
        var first = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(new GenerationRequest(hello, EdgeLlm.Inference.Sampling.SamplingParameters.Greedy, 64, []), CancellationToken.None));
        using var running = first.Stream;

        // One sequence and no queue of its own (the loader's global settings allow two and eight): a second request is refused.
        Assert.IsType<AdmissionResult.QueueFull>(model.Scheduler.TrySubmit(new GenerationRequest(hello, EdgeLlm.Inference.Sampling.SamplingParameters.Greedy, 4, []), CancellationToken.None));
    }

    private static ModelLoader Loader(Action<InferenceOptions>? configure = null)
    {
        var options = new InferenceOptions { ContextSize = 512, MaxSequences = 2, QueueCapacity = 8 };
        configure?.Invoke(options);
        return new ModelLoader(Options.Create(options), NullLoggerFactory.Instance, TimeProvider.System);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(byte[] bytes)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgellm-{Guid.NewGuid():N}.gguf");
            File.WriteAllBytes(Path, bytes);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
