namespace EdgeLlm.Inference.Tests.Models;

/// <summary>Model names (what clients put in <c>model</c>, and labels on metrics) are exactly the documented alphabet.</summary>
public sealed class ModelNameGrammarTests
{
    [Theory]
    [InlineData("stories260K\n")]
    [InlineData("stories260K\r")]
    [InlineData("stories260K\0")]
    [InlineData("st\u043Eries")]
    [InlineData("llama\uFF13")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("")]
    public void ANameOutsideTheAlphabetIsRefused(string name) => Assert.False(ModelOptions.IsValidName(name));

    [Theory]
    [InlineData("stories260K")]
    [InlineData("qwen2.5:0.5b-instruct_q4")]
    public void ANameOfTheAlphabetIsAccepted(string name) => Assert.True(ModelOptions.IsValidName(name));

    [Fact]
    public void NamesAreAtMost64Characters()
    {
        Assert.True(ModelOptions.IsValidName(new string('m', 64)));
        Assert.False(ModelOptions.IsValidName(new string('m', 64) + "\n"));
    }
}
