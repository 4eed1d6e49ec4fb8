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
