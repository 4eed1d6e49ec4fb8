using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Inference.Tests;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void AKeysShareOfSequencesAboveAllTheSequencesIsRefusedNamingTheSetting()
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], MaxSequences = 4, MaxSequencesPerKey = 5 };

        var errors = Validate(options);

        Assert.Contains(errors, e => e.Contains("Inference:MaxSequencesPerKey", StringComparison.Ordinal));
    }

    [Fact]
    public void RunningSequencesAndKeptPrefixesTogetherAreHeldToLlamaCppsSequenceLimit()
    {
        Assert.Empty(Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], MaxSequences = 200, PrefixCacheEntries = 56 }));
        Assert.Contains(
            Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], MaxSequences = 200, PrefixCacheEntries = 57 }),
            e => e.Contains("Inference:PrefixCacheEntries", StringComparison.Ordinal) || e.Contains("cannot exceed 256", StringComparison.Ordinal));
        Assert.Contains(
            Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf", MaxSequences = 250 }], BatchSize = 512, PrefixCacheEntries = 8 }),
            e => e.Contains("cannot exceed 256", StringComparison.Ordinal));
    }

    [Fact]
    public void SpeculationSettingsOutOfOrderOrTooLargeForTheBatchAreRefused()
    {
        Assert.Contains(
            Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], SpeculationNgramMin = 5, SpeculationNgramMax = 3 }),
            e => e.Contains("Inference:SpeculationNgramMin", StringComparison.Ordinal));
        Assert.Contains(
            Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], BatchSize = 32, MaxSequences = 8, SpeculationMaxDraftTokens = 32 }),
            e => e.Contains("Inference:SpeculationMaxDraftTokens", StringComparison.Ordinal));
        Assert.Contains(
            Validate(new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], SpeculationMaxDraftTokens = 65 }),
            e => e.Contains(nameof(InferenceOptions.SpeculationMaxDraftTokens), StringComparison.Ordinal));
    }

    [Fact]
    public void SharesLeftUnsetAreValidAndMeanAutomatic()
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }] };

        Assert.Empty(Validate(options));
        Assert.Null(options.MaxSequencesPerKey);
        Assert.Null(options.MaxQueuedPerKey);
    }

    [Fact]
    public void ANegativeQueuedShareIsRefused()
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], MaxQueuedPerKey = -1 };

        Assert.Contains(Validate(options), e => e.Contains(nameof(InferenceOptions.MaxQueuedPerKey), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("/opt/edgellm/\0natives")]
    public void ANativeDirectoryThatIsNoPathIsRefusedNamingTheSetting(string directory)
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }], NativeDirectory = directory };

        Assert.Contains(Validate(options), e => e.Contains("Inference:NativeDirectory", StringComparison.Ordinal));
    }

    [Fact]
    public void TheNativeDirectoryDefaultsToEmptyForTheFolderBesideTheDaemon()
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "m.gguf" }] };

        Assert.Equal("", options.NativeDirectory);
        Assert.Empty(Validate(options));
    }

    private static List<string> Validate(InferenceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
