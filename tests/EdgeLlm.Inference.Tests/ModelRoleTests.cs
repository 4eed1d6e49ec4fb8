using System.ComponentModel.DataAnnotations;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Tests;

/// <summary>The Role setting read and checked at start, without a model file.</summary>
public sealed class ModelRoleTests
{
    [Theory]
    [InlineData("chat", ModelRole.Chat)]
    [InlineData("embedding", ModelRole.Embedding)]
    [InlineData("Embedding", ModelRole.Embedding)]
    [InlineData(" guard ", ModelRole.Guard)]
    public void EachRoleIsReadWhateverItsCase(string setting, ModelRole role)
    {
        Assert.True(ModelRoles.TryParse(setting, out var parsed));
        Assert.Equal(role, parsed);
        Assert.Equal(role, ModelRoles.Parse(setting));
    }

    [Theory]
    [InlineData("embeddings")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void AnythingElseIsNoRole(string? setting)
    {
        Assert.False(ModelRoles.TryParse(setting, out _));
        Assert.Throws<ArgumentException>(() => ModelRoles.Parse(setting));
    }

    [Fact]
    public void EveryRoleIsWrittenAsTheSettingReadsIt()
    {
        foreach (var role in Enum.GetValues<ModelRole>())
        {
            Assert.Equal(role, ModelRoles.Parse(ModelRoles.Name(role)));
        }
    }

    [Fact]
    public void AnUnknownRoleIsRefusedAtStartNamingTheEntryAndTheKey()
    {
        var options = new InferenceOptions
        {
            Models = [new ModelOptions { Name = "a", Path = "a.gguf" }, new ModelOptions { Name = "b", Path = "b.gguf", Role = "embedder" }],
        };

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(
            "Inference:Models:1:Role ('b') 'embedder' is not a role; use one of chat, embedding, guard.",
            Assert.Single(results).ErrorMessage);
    }

    [Fact]
    public void TheRoleIsChatUnlessSetAndAnotherVersionKeepsIt()
    {
        var global = new InferenceOptions();
        var embedder = new ModelOptions { Name = "e", Path = "e.gguf", Role = "embedding" };
        var options = new InferenceOptions { Models = [embedder] };

        Assert.Equal(ModelRole.Chat, EffectiveModelSettings.Resolve(new ModelOptions { Path = "a.gguf" }, global).Role);
        Assert.Equal(ModelRole.Embedding, EffectiveModelSettings.Resolve(embedder, global).Role);
        Assert.Equal(ModelRole.Embedding, EffectiveModelSettings.Resolve(options.ModelVersion("e", "/models/e/2/e.gguf"), global).Role);
    }
}
