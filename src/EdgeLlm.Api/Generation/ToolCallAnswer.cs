using System.Text;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Splits a chat answer with tools into content and calls. When the request requires a call the whole answer is the
/// call, so nothing streams as content. With <c>auto</c> the text streams as content until the model writes the
/// family's trigger (a tail that could be the trigger's start is held back a token); what follows is the call,
/// read by the family's parser when the answer ends. An answer cut by <c>max_tokens</c>, or whose call does not
/// parse, has no calls: its text is the content and the finish reason says why.
/// </summary>
internal sealed class ToolCallAnswer(IToolCallDialect dialect, bool callsOnly)
{
    private readonly StringBuilder _text = new();
    private int _streamed;
    private bool _inCall = callsOnly;

    /// <summary>The content that can be streamed now.</summary>
    public string Stream(string text)
    {
        _text.Append(text);
        if (_inCall)
        {
            return "";
        }

        var all = _text.ToString();
        var trigger = dialect.Trigger;
        var at = all.IndexOf(trigger, Math.Max(0, _streamed - trigger.Length), StringComparison.Ordinal);
        var safe = at >= 0 ? at : all.Length - PartialTrigger(all, trigger);
        _inCall = at >= 0;
        var content = all[_streamed..Math.Max(_streamed, safe)];
        _streamed += content.Length;
        return content;
    }

    /// <summary>The whole answer's content (null when only calls were made) and calls.</summary>
    public (string? Content, IReadOnlyList<ToolCallDto> Calls) Finish(string text, string finishReason)
    {
        if (finishReason != "stop" || dialect.Parse(text) is not { Calls.Count: > 0 } parsed)
        {
            return (text, []);
        }

        var content = string.IsNullOrWhiteSpace(parsed.Content) ? null : parsed.Content;
        return (content, [.. parsed.Calls.Select(c => new ToolCallDto(ToolCallIds.New(), "function", new FunctionCallDto(c.Name, c.ArgumentsJson)))]);
    }

    /// <summary>After streaming: the content not streamed yet, and the calls.</summary>
    public (string Held, IReadOnlyList<ToolCallDto> Calls) FinishStream(string finishReason)
    {
        var (content, calls) = Finish(_text.ToString(), finishReason);
        var whole = content ?? "";
        return (whole.Length > _streamed ? whole[_streamed..] : "", calls);
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that is a start of <paramref name="trigger"/>.</summary>
    private static int PartialTrigger(string text, string trigger)
    {
        for (var length = Math.Min(trigger.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(trigger.AsSpan(0, length)))
            {
                return length;
            }
        }

        return 0;
    }
}
