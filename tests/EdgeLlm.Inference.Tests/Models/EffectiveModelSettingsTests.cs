using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Tests.Models;

public sealed class EffectiveModelSettingsTests
{
    private static readonly InferenceOptions Global = new()
    {
        ContextSize = 2048, MaxSequences = 8, QueueCapacity = 32, GpuLayers = 10, Threads = 4, FallbackChatTemplate = "chatml",
    };

    [Fact]
    public void AModelWithNoSettingsOfItsOwnTakesTheGlobalOnes()
    {
        Assert.Equal(new EffectiveModelSettings(2048, 8, 32, 10, 4, "chatml"), EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf" }, Global));
    }

    [Fact]
    public void EachSettingAModelSetsOverridesTheGlobalOneAlone()
    {
        var model = new ModelOptions { Path = "a.gguf", ContextSize = 128, MaxSequences = 1, QueueCapacity = 0, GpuLayers = 0, Threads = 1, FallbackChatTemplate = "plain" };

        Assert.Equal(new EffectiveModelSettings(128, 1, 0, 0, 1, "plain"), EffectiveModelSettings.Resolve(model, Global));
        Assert.Equal(new EffectiveModelSettings(2048, 8, 0, 10, 4, "chatml"), EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf", QueueCapacity = 0 }, Global));
    }

    [Fact]
    public void PrefixReuseAndSpeculationAreOnByDefaultAndEachModelMayTurnEitherOff()
    {
        var global = new InferenceOptions { PrefixCache = false };

        Assert.Equal((true, true), Flags(EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf" }, new InferenceOptions())));
        Assert.Equal((false, true), Flags(EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf" }, global)));
        Assert.Equal((true, false), Flags(EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf", PrefixCache = true, Speculation = false }, global)));

        static (bool, bool) Flags(EffectiveModelSettings s) => (s.PrefixCache, s.Speculation);
    }

    [Fact]
    public void AGlobalLeftToChooseItsGpuLayersStaysUnchosenForAModelThatSetsNone()
    {
        Assert.Null(EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf" }, new InferenceOptions()).GpuLayers);
    }
}
