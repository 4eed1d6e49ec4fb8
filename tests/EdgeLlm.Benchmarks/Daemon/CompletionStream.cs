using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>
/// Sends one streamed <c>/v1/completions</c> or <c>/v1/chat/completions</c> request and reads its server-sent events,
/// stamping each event that carries text the moment its line arrives, before parsing it, so parsing never counts
/// against the daemon.
/// </summary>
internal static class CompletionStream
{
    private static readonly Uri Completions = new("v1/completions", UriKind.Relative);
    private static readonly Uri ChatCompletions = new("v1/chat/completions", UriKind.Relative);

    /// <summary>A text completion; <paramref name="body"/> is the request's JSON, <c>stream: true</c> included.</summary>
    public static Task<StreamedCompletion> SendAsync(HttpClient http, string apiKey, string body, int expectedTokens, CancellationToken cancellationToken) =>
        ReadAsync(http, apiKey, Completions, body, expectedTokens, choice => choice.GetProperty("text").GetString(), cancellationToken);

    /// <summary>A chat completion; <paramref name="body"/> includes <c>stream: true</c> and <c>stream_options.include_usage</c>.</summary>
    public static Task<StreamedCompletion> SendChatAsync(HttpClient http, string apiKey, string body, int expectedTokens, CancellationToken cancellationToken) =>
        ReadAsync(http, apiKey, ChatCompletions, body, expectedTokens,
            choice => choice.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : null, cancellationToken);

    private static async Task<StreamedCompletion> ReadAsync(
        HttpClient http, string apiKey, Uri path, string body, int expectedTokens, Func<JsonElement, string?> textOf, CancellationToken cancellationToken)
    {
        using var stream = await StreamRequest.PostAsync(http, apiKey, path, body, cancellationToken);
        var reader = stream.Lines;
        var sent = stream.Sent;
        var tokenTimes = new List<long>(expectedTokens);
        var text = new StringBuilder();
        JsonElement? usage = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var arrived = Stopwatch.GetTimestamp();
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                break;
            }

            using var chunk = JsonDocument.Parse(data);
            var root = chunk.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                throw new HttpRequestException($"The stream ended in an error: {error}");
            }

            if (root.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && textOf(choices[0]) is { Length: > 0 } piece)
            {
                tokenTimes.Add(arrived);
                text.Append(piece);
            }

            if (root.TryGetProperty("usage", out var counts) && counts.ValueKind == JsonValueKind.Object)
            {
                usage = counts.Clone();
            }
        }

        return tokenTimes.Count > 0 && usage is { } u
            ? new StreamedCompletion(sent, tokenTimes, text.ToString(), u)
            : throw new InvalidDataException("The stream carried no text or no usage.");
    }
}

/// <param name="Sent">Just before the request was sent, as a <see cref="Stopwatch"/> timestamp.</param>
/// <param name="TokenTimes">Arrival of each event with text.</param>
/// <param name="Text">The answer.</param>
/// <param name="Usage">The final usage object.</param>
internal sealed record StreamedCompletion(long Sent, IReadOnlyList<long> TokenTimes, string Text, JsonElement Usage)
{
    public StreamTiming Timing => new(Sent, TokenTimes[0], TokenTimes[^1], Usage.GetProperty("completion_tokens").GetInt32());
}
