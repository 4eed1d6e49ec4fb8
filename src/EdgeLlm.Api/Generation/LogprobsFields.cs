using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

/// <summary>The <c>logprobs</c> fields of both endpoints, read and range-checked, and the tokens' log-probabilities in each endpoint's shape.</summary>
internal static class LogprobsFields
{
    private const int MaxTop = TokenLogprob.MaxAlternatives;

    /// <summary>Chat: <c>logprobs: true</c> reports each token's, <c>top_logprobs</c> (0-20) adds alternatives.</summary>
    public static (int? TopLogprobs, ApiError? Error) ReadChat(bool? logprobs, int? topLogprobs) =>
        (logprobs, topLogprobs) switch
        {
            (not true, not null) => (null, Fail("top_logprobs", "top_logprobs needs logprobs: true.")),
            (true, < 0 or > MaxTop) => (null, Fail("top_logprobs", $"top_logprobs must be between 0 and {MaxTop}.")),
            (true, var top) => (top ?? 0, null),
            _ => (null, null),
        };

    /// <summary>
    /// Text completions: <c>logprobs</c> is the number of alternatives (0-20). Clients that send the chat form's
    /// boolean get none for <c>false</c> and the tokens' own for <c>true</c>.
    /// </summary>
    public static (int? TopLogprobs, ApiError? Error) ReadCompletion(JsonElement? logprobs) =>
        logprobs switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.False } => (null, null),
            { ValueKind: JsonValueKind.True } => (0, null),
            { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var top) && top is >= 0 and <= MaxTop => (top, null),
            _ => (null, Fail("logprobs", $"logprobs must be a number of alternatives between 0 and {MaxTop}.")),
        };

    public static ChatLogprobsDto? ToChat(IReadOnlyList<TokenLogprob>? logprobs) =>
        logprobs is null ? null : new ChatLogprobsDto([.. logprobs.Select(l =>
            new ChatTokenLogprobDto(l.Token, l.Logprob, Bytes(l.Bytes), [.. l.TopLogprobs.Select(t => new ChatTopLogprobDto(t.Token, t.Logprob, Bytes(t.Bytes)))]))]);

    /// <summary>The legacy shape; <c>textOffset</c> is the completion text's length before the first of these tokens.</summary>
    public static CompletionLogprobsDto? ToCompletion(IReadOnlyList<TokenLogprob>? logprobs, int textOffset)
    {
        if (logprobs is null)
        {
            return null;
        }

        var offsets = new List<int>(logprobs.Count);
        foreach (var token in logprobs)
        {
            offsets.Add(textOffset);
            textOffset += token.Token.Length;
        }

        return new CompletionLogprobsDto(
            [.. logprobs.Select(l => l.Token)],
            [.. logprobs.Select(l => l.Logprob)],
            [.. logprobs.Select(l => l.TopLogprobs.GroupBy(t => t.Token, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Logprob, StringComparer.Ordinal))],
            offsets);
    }

    private static int[] Bytes(byte[] bytes) => [.. bytes.Select(b => (int)b)];

    private static ApiError Fail(string param, string message) => new(400, ErrorCodes.InvalidParameter, message, param);
}
