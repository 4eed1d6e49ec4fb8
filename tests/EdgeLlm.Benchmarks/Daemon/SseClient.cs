using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>Streams one greedy <c>/v1/completions</c> request and times it (see <see cref="CompletionStream"/>).</summary>
internal sealed class SseClient(HttpClient http, string apiKey)
{
    /// <param name="responseFormat">A response_format object as JSON text (constrained output); null: free text.</param>
    public async Task<StreamTiming> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellationToken, string? responseFormat = null) =>
        (await CompletionStream.SendAsync(http, apiKey, Body(prompt, maxTokens, responseFormat), maxTokens, cancellationToken)).Timing;

    private static string Body(string prompt, int maxTokens, string? responseFormat)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("prompt", prompt);
            json.WriteNumber("max_tokens", maxTokens);
            json.WriteNumber("temperature", 0);
            json.WriteBoolean("stream", true);
            if (responseFormat is not null)
            {
                json.WritePropertyName("response_format");
                json.WriteRawValue(responseFormat);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>Client-side times of one stream, as <see cref="Stopwatch"/> timestamps.</summary>
/// <param name="Sent">Just before the request was sent.</param>
/// <param name="FirstToken">Arrival of the first event with text.</param>
/// <param name="LastToken">Arrival of the last event with text.</param>
/// <param name="CompletionTokens">Tokens generated, from the final usage.</param>
internal sealed record StreamTiming(long Sent, long FirstToken, long LastToken, int CompletionTokens)
{
    public TimeSpan TimeToFirstToken => Stopwatch.GetElapsedTime(Sent, FirstToken);

    /// <summary>Decode tokens per second: the tokens after the first over the time from the first to the last.</summary>
    public double DecodeRate => (CompletionTokens - 1) / Stopwatch.GetElapsedTime(FirstToken, LastToken).TotalSeconds;
}
