using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// The same greedy request to one model through <c>/v1/completions</c> (server-sent events) and <c>/api/generate</c>
/// with <c>raw: true</c> (newline-delimited JSON), so both run the prompt text as written. One request at a time: the
/// body bytes are counted per client.
/// </summary>
internal sealed class ComparedApis(HttpClient http, ResponseBodyBytes bytes, string apiKey, string model)
{
    public async Task<ApiAnswer> CompletionsAsync(string prompt, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await CompletionStream.SendAsync(http, apiKey, Body(json =>
        {
            json.WriteString("model", model);
            json.WriteString("prompt", prompt);
            json.WriteNumber("max_tokens", tokens);
            json.WriteNumber("temperature", 0);
            json.WriteBoolean("stream", true);
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    public async Task<ApiAnswer> GenerateAsync(string prompt, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await GenerateStream.SendAsync(http, apiKey, Body(json =>
        {
            json.WriteString("model", model);
            json.WriteString("prompt", prompt);
            json.WriteBoolean("raw", true);
            json.WriteBoolean("stream", true);
            json.WriteStartObject("options");
            json.WriteNumber("num_predict", tokens);
            json.WriteNumber("temperature", 0);
            json.WriteEndObject();
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    private static string Body(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <param name="Timing">Client-side times of the stream.</param>
/// <param name="Text">The answer.</param>
/// <param name="Bytes">Response body bytes read.</param>
internal sealed record ApiAnswer(StreamTiming Timing, string Text, long Bytes);
