namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// Unwinds the GGUF parser from deep inside a value to <see cref="GgufValidator"/>, which turns
/// it into a <see cref="GgufValidationResult"/>. It never leaves the validator.
/// </summary>
internal sealed class GgufFormatException(GgufRejection rejection, string message) : Exception(message)
{
    public GgufRejection Rejection { get; } = rejection;
}
