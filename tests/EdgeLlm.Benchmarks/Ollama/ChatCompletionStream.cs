using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// Sends one streamed <c>/v1/chat/completions</c> request and reads its server-sent events as <see cref="CompletionStream"/>
/// reads <c>/v1/completions</c>': each event with text (<c>delta.content</c>) stamped as its line arrives, before parsing.
/// </summary>
internal static class ChatCompletionStream
{
    private static readonly Uri ChatCompletions = new("v1/chat/completions", UriKind.Relative);

    /// <param name="body">The request's JSON, <c>stream: true</c> and <c>stream_options.include_usage</c> included.</param>
    public static async Task<StreamedCompletion> SendAsync(HttpClient http, string apiKey, string body, int expectedTokens, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletions) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The daemon answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
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
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 } piece)
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
