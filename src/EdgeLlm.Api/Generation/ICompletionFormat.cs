using EdgeLlm.Api.Contracts;

namespace EdgeLlm.Api.Generation;

/// <summary>The JSON shapes of one endpoint family (chat or text completions), whole and streamed.</summary>
internal interface ICompletionFormat
{
    /// <summary>The whole, non-streamed response.</summary>
    string Complete(string text, string finishReason, UsageDto usage);

    /// <summary>The chunk sent before any text, or null if the format has none.</summary>
    string? Opening();

    /// <summary>A chunk carrying more text.</summary>
    string Delta(string text);

    /// <summary>The chunk carrying the finish reason (and usage, which this server always reports).</summary>
    string Closing(string finishReason, UsageDto usage);

    /// <summary>The OpenAI <c>stream_options.include_usage</c> chunk: no choices, only usage.</summary>
    string UsageOnly(UsageDto usage);
}
