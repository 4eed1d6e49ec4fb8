using System.Security.Cryptography;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>Ids for tool calls in OpenAI's shape: <c>call_</c> and 24 random letters and digits.</summary>
public static class ToolCallIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 24;

    public static string New() => "call_" + RandomNumberGenerator.GetString(Alphabet, RandomLength);
}
