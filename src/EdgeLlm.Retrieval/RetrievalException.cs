namespace EdgeLlm.Retrieval;

/// <summary>A retrieval request that cannot be served, with a stable code the API maps to a status.</summary>
public sealed class RetrievalException : Exception
{
    public RetrievalException()
    {
    }

    public RetrievalException(string message)
        : base(message)
    {
    }

    public RetrievalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RetrievalException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string? Code { get; }
}

/// <summary>Stable codes of retrieval failures.</summary>
public static class RetrievalErrors
{
    public const string EmbeddingModelChanged = "embedding_model_changed";
    public const string EmbeddingModelUnavailable = "embedding_model_unavailable";
}
