using System.Diagnostics.CodeAnalysis;

namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// The verdict on a GGUF file: either a <see cref="Summary"/> of a file that is safe to hand to
/// llama.cpp, or a <see cref="Rejection"/> with a message naming what is wrong (never a path).
/// </summary>
public sealed class GgufValidationResult
{
    private GgufValidationResult(GgufRejection rejection, string message, GgufSummary? summary)
    {
        Rejection = rejection;
        Message = message;
        Summary = summary;
    }

    /// <summary>Whether the file passed every check.</summary>
    [MemberNotNullWhen(true, nameof(Summary))]
    public bool IsValid => Summary is not null;

    /// <summary>Why the file was refused; <see cref="GgufRejection.None"/> when it is valid.</summary>
    public GgufRejection Rejection { get; }

    /// <summary>A human-readable explanation naming the offending key, tensor or offset.</summary>
    public string Message { get; }

    /// <summary>What the file contains, when it is valid; otherwise null.</summary>
    public GgufSummary? Summary { get; }

    /// <inheritdoc />
    public override string ToString() => IsValid ? Message : $"{Rejection}: {Message}";

    internal static GgufValidationResult Valid(GgufSummary summary) =>
        new(GgufRejection.None, $"valid GGUF v{summary.Version} '{summary.Architecture}' model with {summary.TensorCount} tensors", summary);

    internal static GgufValidationResult Rejected(GgufRejection rejection, string message) => new(rejection, message, null);
}
