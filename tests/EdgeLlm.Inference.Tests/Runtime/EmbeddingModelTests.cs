using System.Numerics.Tensors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Tests.Runtime;

/// <summary>A synthetic BERT (written at test time) loaded by the real loader on the real natives, as an embedding model.</summary>
public sealed class EmbeddingModelTests
{
    [Fact]
    public async Task ABertLoadsAsAnEmbeddingModelAndEmbedsUnitVectorsOfItsHiddenSizeThatDependOnTheText()
    {
        await using var model = Loader().Load(Embedding(SyntheticBert.MeanPooled));

        var dog = await EmbedAsync(model, "The dog ran.");
        var again = await EmbedAsync(model, "The dog ran.");
        var cat = await EmbedAsync(model, "The cat slept in the sun.");

        Assert.Equal(("bert", ModelRole.Embedding), (model.Architecture, model.Settings.Role));
        Assert.Equal(SyntheticBert.HiddenSize, model.EmbeddingSize);
        Assert.Equal(SyntheticBert.HiddenSize, dog.Length);
        Assert.All(new[] { dog, cat }, v => Assert.Equal(1f, MathF.Sqrt(TensorPrimitives.SumOfSquares(v)), 4));
        Assert.All(dog.Concat(cat), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(dog, again);
        Assert.True(TensorPrimitives.CosineSimilarity(dog, cat) < 0.999f, "different texts gave the same vector");
    }

    [Fact]
    public async Task TheModelsOwnPoolingDecidesTheVector()
    {
        await using var mean = Loader().Load(Embedding(SyntheticBert.MeanPooled));
        await using var cls = Loader().Load(Embedding(SyntheticBert.ClsPooled));

        // Same weights, same text: only bert.pooling_type differs between the two files.
        var byMean = await EmbedAsync(mean, "A little bird sang.");
        var byCls = await EmbedAsync(cls, "A little bird sang.");

        Assert.NotEqual(byMean, byCls);
    }

    [Fact]
    public void AnEmbeddingModelGetsOneContextThatTakesAWholeTextAndPoolsAsTheModelSays()
    {
        var options = new InferenceOptions { ContextSize = 1024, MaxSequences = 4, BatchSize = 256 };
        var model = new ModelOptions { Path = "model.gguf", Role = "embedding", ContextSize = 512 };

        var parameters = ModelLoader.CreateParameters("model.gguf", options, EffectiveModelSettings.Resolve(model, options), LLama.Native.LLamaPoolingType.CLS);

        Assert.True(parameters.Embeddings);
        Assert.Equal(LLama.Native.LLamaPoolingType.CLS, parameters.PoolingType);
        Assert.Equal((512u, 1u), (parameters.ContextSize, parameters.SeqMax));
        Assert.Equal((512u, 512u), (parameters.BatchSize, parameters.UBatchSize));
    }

    [Fact]
    public async Task AnEncoderIsSizedWithoutCacheAndHeldToItsTrainedContext()
    {
        // The loader's global context is 512 tokens; the synthetic BERT has 128 learned positions.
        await using var model = Loader().Load(Embedding(SyntheticBert.MeanPooled));

        Assert.Equal(SyntheticBert.TrainedContext, model.ContextSize);
        Assert.Equal(0, model.Footprint.KvCacheBytes);
        Assert.Equal(new FileInfo(SyntheticBert.MeanPooled).Length, model.Footprint.WeightsBytes, tolerance: 64 * 1024);
    }

    [Fact]
    public async Task AnEmbeddingModelPassesItsHealthCheckByEmbeddingAndRefusesToGenerate()
    {
        await using var model = Loader().Load(Embedding(SyntheticBert.MeanPooled));

        await ModelHealthCheck.RunAsync(model, 1, CancellationToken.None);
        var admitted = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(
            new GenerationRequest(model.Tokenizer.Tokenize("Hello", false), EdgeLlm.Inference.Sampling.SamplingParameters.Greedy, 4, []), CancellationToken.None));
        var events = new List<GenerationEvent>();
        await foreach (var item in admitted.Stream.ReadAllAsync())
        {
            events.Add(item);
        }

        Assert.Equal(FinishReason.Error, Assert.IsType<GenerationFinished>(Assert.Single(events)).Reason);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("guard")]
    public void ABertThatIsNotAnEmbeddingModelIsRefusedBeforeLlamaCppSeesIt(string role)
    {
        var error = Assert.Throws<ModelLoadException>(() => Loader().Load(new ModelOptions { Path = SyntheticBert.MeanPooled, Role = role }));

        Assert.Equal("model_cannot_generate", error.Code);
    }

    [Fact]
    public void ABertMissingATensorIsRefusedWithAGgufCode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgellm-broken-bert-{Guid.NewGuid():N}.gguf");
        try
        {
            SyntheticBert.Write(path, SyntheticBert.MeanPooling, omitTensor: "blk.1.ffn_down.weight");

            var error = Assert.Throws<ModelLoadException>(() => Loader().Load(Embedding(path)));

            Assert.Equal("gguf_MissingTensor", error.Code);
            Assert.Contains("blk.1.ffn_down.weight", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnEmbeddingsProbeVectorMustHaveTheHiddenSizeBeFiniteAndNotBeZero()
    {
        Assert.Null(ModelHealthCheck.EmbeddingProblem([0.6f, 0.8f], 2));
        Assert.Contains("3 values instead of 2", ModelHealthCheck.EmbeddingProblem([0.6f, 0.8f, 0f], 2), StringComparison.Ordinal);
        Assert.Contains("not finite", ModelHealthCheck.EmbeddingProblem([float.NaN, 1f], 2), StringComparison.Ordinal);
        Assert.Contains("all zeros", ModelHealthCheck.EmbeddingProblem([0f, 0f], 2), StringComparison.Ordinal);
    }

    private static ModelOptions Embedding(string path) => new() { Path = path, Role = "embedding" };

    private static async Task<float[]> EmbedAsync(LoadedModel model, string text) =>
        await (model.Scheduler.TryEmbed(model.Tokenizer.Tokenize(text, parseSpecial: false), CancellationToken.None)
            ?? throw new InvalidOperationException("The embedding queue is full."));

    private static ModelLoader Loader() =>
        new(Options.Create(new InferenceOptions { ContextSize = 512, MaxSequences = 2, QueueCapacity = 8 }), NullLoggerFactory.Instance, TimeProvider.System);
}
