using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>
/// Bundle, channel, target and artifact names (which become file names and index keys) are exactly the documented
/// alphabet: a trailing newline, carriage return, NUL or a Unicode look-alike is refused.
/// </summary>
public sealed class BundleNameGrammarTests
{
    [Theory]
    [InlineData("stable\n")]
    [InlineData("stable\r")]
    [InlineData("stable\r\n")]
    [InlineData("stable\0")]
    [InlineData("\nstable")]
    [InlineData("st\u0430ble")]
    [InlineData("model\uFF11.gguf")]
    [InlineData("stable\u2028")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    public void ANameOutsideTheAlphabetIsNotSafe(string name) => Assert.False(BundleManifestReader.IsSafeName(name));

    [Theory]
    [InlineData("stable")]
    [InlineData("model-1.2_q4.gguf")]
    [InlineData("_private")]
    public void ANameOfTheAlphabetIsSafe(string name) => Assert.True(BundleManifestReader.IsSafeName(name));

    [Fact]
    public void TheLengthLimitDoesNotLetANewlineThrough()
    {
        Assert.True(BundleManifestReader.IsSafeName(new string('a', 128)));
        Assert.False(BundleManifestReader.IsSafeName(new string('a', 129)));
        Assert.False(BundleManifestReader.IsSafeName(new string('a', 128) + "\n"));
    }
}
