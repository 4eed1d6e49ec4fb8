using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// Sends one streamed <c>/api/generate</c> or <c>/api/chat</c> request and reads its newline-delimited JSON, stamping
/// each line the moment it arrives, before parsing it, as <see cref="CompletionStream"/> stamps server-sent events; the
/// lines with text (generate's <c>response</c>, chat's <c>message.content</c>) count.
/// </summary>
internal static class OllamaStream
{
    public static readonly Uri Generate = new("api/generate", UriKind.Relative);

    public static readonly Uri Chat = new("api/chat", UriKind.Relative);

    /// <param name="endpoint"><see cref="Generate"/> or <see cref="Chat"/>.</param>
    /// <param name="body">The request's JSON (Ollama streams unless it says <c>stream: false</c>).</param>
    public static async Task<OllamaStreamedAnswer> SendAsync(HttpClient http, string apiKey, Uri endpoint, string body, int expectedTokens, CancellationToken cancellationToken)
    {
        using var stream = await StreamRequest.PostAsync(http, apiKey, endpoint, body, cancellationToken);
        var reader = stream.Lines;
        var sent = stream.Sent;
        var tokenTimes = new List<long>(expectedTokens);
        var text = new StringBuilder();
        JsonElement? final = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var arrived = Stopwatch.GetTimestamp();
            if (line.Length == 0)
            {
                continue;
            }

            using var chunk = JsonDocument.Parse(line);
            var root = chunk.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                throw new HttpRequestException($"The stream ended in an error: {error}");
            }

            if (Piece(root) is { Length: > 0 } piece)
            {
                tokenTimes.Add(arrived);
                text.Append(piece);
            }

            if (root.TryGetProperty("done", out var done) && done.GetBoolean())
            {
                final = root.Clone();
                break;
            }
        }

        return tokenTimes.Count > 0 && final is { } last && last.TryGetProperty("eval_count", out var evalCount)
            ? new OllamaStreamedAnswer(sent, tokenTimes, text.ToString(), evalCount.GetInt32(), last.GetProperty("done_reason").GetString() ?? "")
            : throw new InvalidDataException("The stream carried no text or no final object with its counts.");
    }

    private static string? Piece(JsonElement line) =>
        line.TryGetProperty("response", out var response) ? response.GetString()
        : line.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) ? content.GetString()
        : null;
}

/// <param name="Sent">Just before the request was sent, as a <see cref="Stopwatch"/> timestamp.</param>
/// <param name="TokenTimes">Arrival of each line with text.</param>
/// <param name="Text">The answer.</param>
/// <param name="EvalCount">The final object's <c>eval_count</c>: tokens generated.</param>
/// <param name="DoneReason">The final object's <c>done_reason</c> (<c>length</c>, <c>stop</c>).</param>
internal sealed record OllamaStreamedAnswer(long Sent, IReadOnlyList<long> TokenTimes, string Text, int EvalCount, string DoneReason)
{
    public StreamTiming Timing => new(Sent, TokenTimes[0], TokenTimes[^1], EvalCount);
}
