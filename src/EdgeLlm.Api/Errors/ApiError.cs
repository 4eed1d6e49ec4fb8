namespace EdgeLlm.Api.Errors;

/// <summary>
/// An error the API returns to a client: HTTP status, a stable machine-readable code and a
/// human-readable message that never contains a stack trace or a file path.
/// </summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable code from <see cref="ErrorCodes"/>.</param>
/// <param name="Message">What went wrong, for a person.</param>
/// <param name="Param">The request parameter at fault, when there is one.</param>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> when the client should try again later.</param>
public sealed record ApiError(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null)
{
    /// <summary>The OpenAI error <c>type</c> that goes with the status.</summary>
    public string Type => Status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
