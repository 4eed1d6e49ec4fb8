using EdgeLlm.Api.Authentication;

namespace EdgeLlm.Api.Tests.Authentication;

/// <summary>
/// Key names and tenants an operator types, and keys a client presents, are exactly their documented shapes:
/// a trailing newline, carriage return, NUL or a Unicode look-alike is refused.
/// </summary>
public sealed class ApiKeyGrammarTests
{
    [Theory]
    [InlineData("tenant-a\n")]
    [InlineData("tenant-a\r")]
    [InlineData("tenant-a\0")]
    [InlineData("\ntenant-a")]
    [InlineData("ten\u0430nt")]
    [InlineData("tenant\uFF11")]
    [InlineData("tenant a")]
    [InlineData("")]
    public void ALabelOutsideTheAlphabetIsRefused(string label) =>
        Assert.Throws<ArgumentException>(() => ApiKeyValidation.ThrowIfInvalidLabel(label, "tenant"));

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\0")]
    [InlineData("\r\n")]
    public void AKeyWithATrailingControlCharacterDoesNotParse(string suffix)
    {
        var (_, key, _) = ApiKeyFormat.Generate();
        Assert.True(ApiKeyFormat.TryParse(key, out _, out _));

        Assert.False(ApiKeyFormat.TryParse(key + suffix, out _, out _));
        Assert.False(ApiKeyFormat.TryParse(key[..^1] + suffix, out _, out _));
    }

    [Fact]
    public void AKeyWithALookAlikeInItsIdDoesNotParse()
    {
        var (id, key, _) = ApiKeyFormat.Generate();
        var lookAlike = key.Replace("ellm_" + id, "ellm_" + "\u0430" + id[1..], StringComparison.Ordinal);

        Assert.False(ApiKeyFormat.TryParse(lookAlike, out _, out _));
    }
}
