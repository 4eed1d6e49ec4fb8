namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// The plain messages a dialect is writing, remembering which user turns are the client's own (tool results
/// also become user turns, and families place tool definitions relative to the client's questions).
/// </summary>
internal sealed class RenderedConversation
{
    private readonly List<ChatMessage> _messages = [];
    private readonly List<int> _clientUserTurns = [];

    public IReadOnlyList<ChatMessage> Messages => _messages;

    public int? FirstClientUserTurn => _clientUserTurns.Count > 0 ? _clientUserTurns[0] : null;

    public int? LastClientUserTurn => _clientUserTurns.Count > 0 ? _clientUserTurns[^1] : null;

    public void Add(ChatMessage message, bool fromClientUser)
    {
        if (fromClientUser)
        {
            _clientUserTurns.Add(_messages.Count);
        }

        _messages.Add(message);
    }

    /// <summary>Rewrites the content of the message at <paramref name="index"/>.</summary>
    public void Edit(int index, Func<string, string> content) =>
        _messages[index] = _messages[index] with { Content = content(_messages[index].Content) };

    /// <summary>
    /// Rewrites the system message, the first message when it is one; else inserts one at the front
    /// (its content computed from the empty string).
    /// </summary>
    public void EditSystem(Func<string, string> content)
    {
        if (_messages.Count > 0 && _messages[0].Role == "system")
        {
            Edit(0, content);
            return;
        }

        _messages.Insert(0, new ChatMessage("system", content("")));
        for (var i = 0; i < _clientUserTurns.Count; i++)
        {
            _clientUserTurns[i]++;
        }
    }
}
