using System.Text;
using System.Text.Json;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>Reads an OpenAI-style server-sent event stream: every <c>data:</c> payload up to <c>[DONE]</c>.</summary>
internal static class SseReader
{
    /// <summary>Waits for the first data line and leaves the stream open, so the request keeps running.</summary>
    public static async Task<JsonElement> ReadFirstEventAsync(HttpResponseMessage response)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] != (byte)'\n')
            {
                line.Add(one[0]);
                continue;
            }

            var text = Encoding.UTF8.GetString([.. line]);
            line.Clear();
            if (text.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(text["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new InvalidDataException("The stream ended before its first event.");
    }

    public static async Task<SseResult> ReadAsync(HttpResponseMessage response)
    {
        using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var events = new List<JsonElement>();
        var text = new StringBuilder();
        var done = false;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                throw new InvalidDataException("Not an SSE data line: " + line);
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                break;
            }

            var element = JsonDocument.Parse(data).RootElement.Clone();
            events.Add(element);
            if (element.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (choice.TryGetProperty("text", out var t))
                {
                    text.Append(t.GetString());
                }
                else if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var c))
                {
                    text.Append(c.GetString());
                }
            }
        }

        return new SseResult(text.ToString(), events, done);
    }
}

internal sealed record SseResult(string Text, IReadOnlyList<JsonElement> Events, bool Done);
