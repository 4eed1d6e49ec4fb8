using EdgeLlm.Inference.Gguf;
using Xunit;

namespace EdgeLlm.Inference.Tests.Support;

internal static class GgufAssert
{
    public static GgufValidationResult Validate(GgufBuilder builder, GgufValidationLimits? limits = null)
    {
        using var stream = builder.BuildStream();
        return new GgufValidator(limits ?? new GgufValidationLimits()).Validate(stream, stream.Length);
    }

    public static void Rejected(GgufRejection expected, GgufBuilder builder, GgufValidationLimits? limits = null)
    {
        var result = Validate(builder, limits);
        Assert.False(result.IsValid, "expected a rejection but the file was accepted");
        Assert.Equal(expected, result.Rejection);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }
}
