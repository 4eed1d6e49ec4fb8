namespace EdgeLlm.Inference.Backends;

/// <summary>The configured compute backend cannot be used (a module failed, or the GPU settings name no GPU); fatal at start-up.</summary>
public sealed class BackendUnavailableException : Exception
{
    public BackendUnavailableException()
    {
    }

    public BackendUnavailableException(string message)
        : base(message)
    {
    }

    public BackendUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackendUnavailableException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
    }

    /// <summary>Stable reason code, e.g. <c>backend_module_missing_library</c>.</summary>
    public string? Code { get; }
}
