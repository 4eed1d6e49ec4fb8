using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace EdgeLlm.Inference.Tests;

public sealed class ModelOptionsTests
{
    [Fact]
    public void TwoModelsWithTheirOwnSettingsAndAliasesAreValid()
    {
        var options = new InferenceOptions
        {
            Models =
            [
                new ModelOptions { Name = "large", Path = "l.gguf", ContextSize = 8192, MaxSequences = 2, QueueCapacity = 4, GpuLayers = 20, Threads = 2, FallbackChatTemplate = "llama3", Aliases = ["smart", "big"] },
                new ModelOptions { Name = "small", Path = "s.gguf", ContextSize = 128, Aliases = ["fast"] },
            ],
        };

        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData(nameof(ModelOptions.ContextSize), 32)]
    [InlineData(nameof(ModelOptions.MaxSequences), 0)]
    [InlineData(nameof(ModelOptions.QueueCapacity), -1)]
    [InlineData(nameof(ModelOptions.GpuLayers), -1)]
    [InlineData(nameof(ModelOptions.Threads), 2000)]
    public void AnOverrideOutOfItsRangeIsRefusedNamingTheEntryAndTheKey(string key, int value)
    {
        var second = new ModelOptions { Name = "b", Path = "b.gguf" };
        typeof(ModelOptions).GetProperty(key)!.SetValue(second, value);
        var options = new InferenceOptions { Models = [new ModelOptions { Path = "a.gguf" }, second] };

        var error = Assert.Single(Validate(options));

        Assert.StartsWith($"Inference:Models:1:{key} ('b')", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EachOverrideHasTheRangeOfItsGlobalSetting()
    {
        foreach (var property in typeof(ModelOptions).GetProperties().Where(p => p.GetCustomAttribute<RangeAttribute>() is not null))
        {
            var own = property.GetCustomAttribute<RangeAttribute>()!;
            var global = typeof(InferenceOptions).GetProperty(property.Name)!.GetCustomAttribute<RangeAttribute>()!;

            Assert.Equal((global.Minimum, global.Maximum), (own.Minimum, own.Maximum));
        }
    }

    [Fact]
    public void AModelsSequencesAboveTheBatchSizeAreRefused()
    {
        var options = new InferenceOptions { BatchSize = 64, Models = [new ModelOptions { Name = "a", Path = "a.gguf", MaxSequences = 128 }] };

        Assert.Contains(Validate(options), e => e.StartsWith("Inference:Models:0:MaxSequences ('a') cannot exceed Inference:BatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public void AKeysShareAboveAModelsOwnSequencesIsRefused()
    {
        var options = new InferenceOptions { MaxSequences = 8, MaxSequencesPerKey = 4, Models = [new ModelOptions { Name = "a", Path = "a.gguf", MaxSequences = 2 }] };

        Assert.Contains(Validate(options), e => e.Contains("Inference:MaxSequencesPerKey cannot exceed Inference:Models:0:MaxSequences", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("on_demand")]
    [InlineData("Pinned")]
    [InlineData("")]
    public void AnUnknownLoadPolicyIsRefused(string policy)
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Name = "a", Path = "a.gguf", LoadPolicy = policy }] };

        Assert.Equal($"Inference:Models:0:LoadPolicy ('a') '{policy}' must be 'pinned' or 'on-demand'.", Assert.Single(Validate(options)));
    }

    [Fact]
    public void KeepAlivesOutsideOneSecondToSevenDaysAreRefusedForAModelAndGlobally()
    {
        var options = new InferenceOptions
        {
            KeepAlive = TimeSpan.FromDays(8),
            Models = [new ModelOptions { Name = "a", Path = "a.gguf", LoadPolicy = "on-demand", KeepAlive = TimeSpan.FromMilliseconds(500) }],
        };

        var errors = Validate(options);

        Assert.Contains("Inference:Models:0:KeepAlive ('a') must be between 1 second and 7 days.", errors);
        Assert.Contains("Inference:KeepAlive must be between 1 second and 7 days.", errors);
        Assert.Empty(Validate(new InferenceOptions { Models = [new ModelOptions { Name = "a", Path = "a.gguf", LoadPolicy = "on-demand", KeepAlive = TimeSpan.FromSeconds(1) }] }));
    }

    [Fact]
    public void ABudgetUnderOneMebibyteIsRefused()
    {
        var host = new InferenceOptions { MemoryBudgetBytes = 1000, Models = [new ModelOptions { Name = "a", Path = "a.gguf" }] };
        var gpu = new InferenceOptions { GpuMemoryBudgetBytes = [8L << 30, 1000], Models = [new ModelOptions { Name = "a", Path = "a.gguf" }] };

        Assert.Contains("MemoryBudgetBytes", Assert.Single(Validate(host)), StringComparison.Ordinal);
        Assert.Equal("Inference:GpuMemoryBudgetBytes takes at most 64 budgets, each at least 1 MiB.", Assert.Single(Validate(gpu)));
    }

    [Fact]
    public void AnUnknownFallbackTemplateOfAModelIsRefused()
    {
        var options = new InferenceOptions { Models = [new ModelOptions { Name = "a", Path = "a.gguf", FallbackChatTemplate = "chatmll" }] };

        Assert.StartsWith("Inference:Models:0:FallbackChatTemplate ('a') 'chatmll' is not a known template name", Assert.Single(Validate(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")] // its own name
    [InlineData("b")] // the other model's name
    [InlineData("b-alias")] // the other model's alias
    public void AnAliasThatIsAlreadyANameOrAliasIsRefused(string alias)
    {
        var options = new InferenceOptions
        {
            Models = [new ModelOptions { Name = "b", Path = "b.gguf", Aliases = ["b-alias"] }, new ModelOptions { Name = "a", Path = "a.gguf", Aliases = [alias] }],
        };

        Assert.Equal($"Inference:Models:1:Aliases ('a'): '{alias}' is already a model name or alias.", Assert.Single(Validate(options)));
    }

    [Fact]
    public void AModelNamedAsAnotherModelsAliasIsRefused()
    {
        var options = new InferenceOptions
        {
            Models = [new ModelOptions { Name = "a", Path = "a.gguf", Aliases = ["b"] }, new ModelOptions { Name = "b", Path = "b.gguf" }],
        };

        Assert.Contains("'b' is used twice", Assert.Single(Validate(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAliasThatIsNoNameOrMoreThanEightAliasesAreRefused()
    {
        var options = new InferenceOptions
        {
            Models =
            [
                new ModelOptions { Name = "a", Path = "a.gguf", Aliases = ["has space"] },
                new ModelOptions { Name = "b", Path = "b.gguf", Aliases = [.. Enumerable.Range(0, 9).Select(i => $"b{i}")] },
            ],
        };

        var errors = Validate(options);

        Assert.Equal(2, errors.Count);
        Assert.Contains("Inference:Models:0:Aliases ('a'): alias 'has space' must be 1-64 characters", errors[0], StringComparison.Ordinal);
        Assert.Equal("Inference:Models:1:Aliases ('b') takes at most 8 names.", errors[1]);
    }

    [Fact]
    public void AnotherVersionKeepsTheSettingsAndAliasesOfTheConfiguredEntry()
    {
        var configured = new ModelOptions { Path = "/models/a.gguf", ContextSize = 256, MaxSequences = 2, Aliases = ["fast"], ToolCallFormat = "hermes" };
        var options = new InferenceOptions { Models = [configured] };

        var version = options.ModelVersion("a", "/var/lib/edgellm/models/a/2/a.gguf");
        var unknown = options.ModelVersion("other", "/var/lib/edgellm/models/other/1/other.gguf");

        Assert.Equal(("a", "/var/lib/edgellm/models/a/2/a.gguf"), (version.Name, version.Path));
        Assert.Equal((256, 2, "hermes"), (version.ContextSize, version.MaxSequences, version.ToolCallFormat));
        Assert.Equal(["fast"], version.Aliases);
        Assert.NotSame(configured.Aliases, version.Aliases);
        Assert.Equal("/models/a.gguf", configured.Path);
        Assert.Equal(("other", null), (unknown.Name, unknown.ContextSize));
        Assert.Empty(unknown.Aliases);
    }

    private static List<string> Validate(InferenceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
