using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Inference.Tests.Sampling;

public sealed class SamplingValidatorTests
{
    public static TheoryData<string, SamplingParameters> HostileParameters => new()
    {
        { "temperature", new SamplingParameters { Temperature = float.NaN } },
        { "temperature", new SamplingParameters { Temperature = 999999f } },
        { "temperature", new SamplingParameters { Temperature = -0.5f } },
        { "top_p", new SamplingParameters { TopP = 0f } },
        { "top_p", new SamplingParameters { TopP = float.PositiveInfinity } },
        { "top_k", new SamplingParameters { TopK = -1 } },
        { "top_k", new SamplingParameters { TopK = 32001 } },
        { "min_p", new SamplingParameters { MinP = 1.5f } },
        { "repeat_penalty", new SamplingParameters { RepeatPenalty = 0f } },
        { "repeat_penalty", new SamplingParameters { RepeatPenalty = float.NaN } },
        { "frequency_penalty", new SamplingParameters { FrequencyPenalty = 2.5f } },
        { "presence_penalty", new SamplingParameters { PresencePenalty = float.NegativeInfinity } },
    };

    [Theory]
    [MemberData(nameof(HostileParameters))]
    public void AnOutOfRangeParameterIsRefusedByName(string parameter, SamplingParameters sampling)
    {
        var problem = SamplingValidator.Validate(sampling, vocabularySize: 32000);

        Assert.NotNull(problem);
        Assert.Equal(parameter, problem.Parameter);
    }

    [Fact]
    public void TheDefaultsAndGreedyAreAccepted()
    {
        Assert.Null(SamplingValidator.Validate(new SamplingParameters(), 512));
        Assert.Null(SamplingValidator.Validate(SamplingParameters.Greedy, 512));
        Assert.Null(SamplingValidator.Validate(new SamplingParameters { Temperature = 2f, TopP = 1f, TopK = 512, MinP = 1f, RepeatPenalty = 10f, FrequencyPenalty = -2f, PresencePenalty = 2f }, 512));
    }

    [Fact]
    public void TooManyOrOversizedStopSequencesAreRefused()
    {
        Assert.Equal("stop", SamplingValidator.ValidateStop(["a", "b", "c", "d", "e"])?.Parameter);
        Assert.Equal("stop", SamplingValidator.ValidateStop([new string('x', 300)])?.Parameter);
        Assert.Equal("stop", SamplingValidator.ValidateStop([""])?.Parameter);
        Assert.Null(SamplingValidator.ValidateStop(["\n\n", "END"]));
    }

    [Fact]
    public void MaxTokensBelowOneIsRefused()
    {
        Assert.Equal("max_tokens", SamplingValidator.ValidateMaxTokens(0, "max_tokens")?.Parameter);
        Assert.Equal("max_tokens", SamplingValidator.ValidateMaxTokens(-5, "max_tokens")?.Parameter);
        Assert.Null(SamplingValidator.ValidateMaxTokens(null, "max_tokens"));
    }
}
