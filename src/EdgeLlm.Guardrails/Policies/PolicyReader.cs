using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Reads a policy document strictly: bounded in size and depth, unknown or repeated members refused, then every value
/// checked and every expression compiled. A hostile document is refused with the path of its first problem, never
/// half-read; nothing is thrown for a bad document.
/// </summary>
public static class PolicyReader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = PolicyLimits.MaxDepth,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static PolicyLoadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // Checked on characters first so a huge string is refused without encoding it.
        return json.Length > PolicyLimits.MaxDocumentBytes || Encoding.UTF8.GetByteCount(json) > PolicyLimits.MaxDocumentBytes
            ? TooLarge()
            : Read(Encoding.UTF8.GetBytes(json));
    }

    public static PolicyLoadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > PolicyLimits.MaxDocumentBytes)
        {
            return TooLarge();
        }

        // Editors on some systems start a UTF-8 file with a byte-order mark; the JSON reader does not skip it.
        if (utf8Json.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Json = utf8Json[Encoding.UTF8.Preamble.Length..];
        }

        // Checked whole first: the serializer reports bad bytes inside a string as a value of the wrong type.
        if (!Utf8.IsValid(utf8Json))
        {
            return new PolicyLoadResult.Refused("$", "not valid UTF-8");
        }

        PolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PolicyDocument>(utf8Json, Json);
        }
        catch (JsonException ex)
        {
            return new PolicyLoadResult.Refused(ex.Path ?? "$", Describe(ex));
        }

        return document is null
            ? new PolicyLoadResult.Refused("$", "the document is empty (null)")
            : new PolicyCompiler().Compile(document);
    }

    private static PolicyLoadResult.Refused TooLarge() =>
        new("$", $"the document is larger than {PolicyLimits.MaxDocumentBytes} bytes");

    // The serializer's own messages name internal types and repeat positions; the operator needs what, the path says where.
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "unknown member (see the policy schema for the members allowed here)";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "a member appears twice";
        }

        return message.Contains("could not be converted", StringComparison.Ordinal)
            ? "a value of the wrong type (the schema says string, number, true/false, list or object)"
            : "not valid JSON";
    }
}
