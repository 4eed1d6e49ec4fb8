namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>The syntax a model family was trained to call tools with.</summary>
public enum ToolCallFormat
{
    /// <summary>Any model: tools described in a system message, calls as <c>{"tool_calls":[...]}</c>.</summary>
    Generic,

    /// <summary>Llama 3.1 / 3.2 JSON tool calling: <c>{"name": ..., "parameters": {...}}</c>, results as role <c>ipython</c>.</summary>
    Llama3,

    /// <summary>NousResearch Hermes and Qwen 2.5 / 3: <c>&lt;tool_call&gt;</c> blocks.</summary>
    Hermes,

    /// <summary>Mistral v0.3 and later: <c>[TOOL_CALLS]</c>.</summary>
    Mistral,
}
