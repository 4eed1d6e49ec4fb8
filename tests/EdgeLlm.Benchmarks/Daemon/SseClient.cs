using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>
/// Streams one greedy <c>/v1/completions</c> request and timestamps each server-sent event that carries
/// text the moment its line arrives, before parsing it, so parsing never counts against the daemon.
/// </summary>
internal sealed class SseClient(HttpClient http, string apiKey)
{
    private static readonly Uri Completions = new("v1/completions", UriKind.Relative);

    /// <param name="responseFormat">A response_format object as JSON text (constrained output); null: free text.</param>
    public async Task<StreamTiming> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellationToken, string? responseFormat = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Completions)
        {
            Content = new StringContent(Body(prompt, maxTokens, responseFormat), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The daemon answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var tokenTimes = new List<long>(maxTokens);
        int? completionTokens = null;
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
                && choices[0].GetProperty("text").GetString() is { Length: > 0 })
            {
                tokenTimes.Add(arrived);
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                completionTokens = usage.GetProperty("completion_tokens").GetInt32();
            }
        }

        return tokenTimes.Count > 0 && completionTokens is { } tokens
            ? new StreamTiming(sent, tokenTimes[0], tokenTimes[^1], tokens)
            : throw new InvalidDataException("The stream carried no text or no usage.");
    }

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
