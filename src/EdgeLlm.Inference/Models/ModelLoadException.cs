namespace EdgeLlm.Inference.Models;

/// <summary>A configured model could not be served: refused by validation, failed to load, or failed its probe.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelLoadException(string modelName, string code, string message)
        : base($"Model '{modelName}' cannot be served ({code}): {message}")
    {
        ModelName = modelName;
        Code = code;
    }

    public string? ModelName { get; }

    /// <summary>Stable reason code, e.g. a GGUF rejection.</summary>
    public string? Code { get; }
}
