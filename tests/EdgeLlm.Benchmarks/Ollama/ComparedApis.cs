using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// The same greedy request to one model through <c>/v1</c> (server-sent events) and Ollama's API (newline-delimited
/// JSON): a prompt through <c>/v1/completions</c> and <c>/api/generate</c> with <c>raw: true</c>, so both run the text
/// as written; one user turn through <c>/v1/chat/completions</c> and <c>/api/chat</c>, both in the model's chat
/// template. One request at a time: the body bytes are counted per client.
/// </summary>
internal sealed class ComparedApis(HttpClient http, ResponseBodyBytes bytes, string apiKey, string model)
{
    public async Task<ApiAnswer> CompletionsAsync(string prompt, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await CompletionStream.SendAsync(http, apiKey, Body(json =>
        {
            json.WriteString("prompt", prompt);
            V1Sampling(json, tokens);
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    public async Task<ApiAnswer> GenerateAsync(string prompt, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await OllamaStream.SendAsync(http, apiKey, OllamaStream.Generate, Body(json =>
        {
            json.WriteString("prompt", prompt);
            json.WriteBoolean("raw", true);
            OllamaSampling(json, tokens);
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    public async Task<ApiAnswer> ChatCompletionsAsync(string userTurn, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await CompletionStream.SendChatAsync(http, apiKey, Body(json =>
        {
            Messages(json, userTurn);
            V1Sampling(json, tokens);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    public async Task<ApiAnswer> ChatAsync(string userTurn, int tokens, CancellationToken cancellationToken)
    {
        bytes.Reset();
        var answer = await OllamaStream.SendAsync(http, apiKey, OllamaStream.Chat, Body(json =>
        {
            Messages(json, userTurn);
            OllamaSampling(json, tokens);
        }), tokens, cancellationToken);
        return new ApiAnswer(answer.Timing, answer.Text, bytes.Read);
    }

    private static void V1Sampling(Utf8JsonWriter json, int tokens)
    {
        json.WriteNumber("max_tokens", tokens);
        json.WriteNumber("temperature", 0);
        json.WriteBoolean("stream", true);
    }

    private static void OllamaSampling(Utf8JsonWriter json, int tokens)
    {
        json.WriteBoolean("stream", true);
        json.WriteStartObject("options");
        json.WriteNumber("num_predict", tokens);
        json.WriteNumber("temperature", 0);
        json.WriteEndObject();
    }

    private static void Messages(Utf8JsonWriter json, string userTurn)
    {
        json.WriteStartArray("messages");
        json.WriteStartObject();
        json.WriteString("role", "user");
        json.WriteString("content", userTurn);
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private string Body(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
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
