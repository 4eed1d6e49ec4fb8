using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Decides whether an answer is a failure: any 5xx, an error whose body is not JSON, an error body that names a
/// file-system path or an exception the client did not send, or a stack frame in any body.
/// </summary>
internal static partial class FuzzJudge
{
    private static readonly string[] PathMarkers = ["/work", "/tmp", "/home", "/var", "/opt", "/etc", "/root", "/proc", "/usr"];

    /// <summary>Null when the answer is acceptable; otherwise why it is not.</summary>
    public static string? Judge(FuzzCase fuzzCase, FuzzResponse response)
    {
        if (!response.Complete)
        {
            return "the connection ended without a complete answer";
        }

        if (response.Status >= 500)
        {
            return $"status {response.Status}";
        }

        var text = Encoding.UTF8.GetString(response.Body);
        if (StackFrame().IsMatch(text))
        {
            return "a stack frame in the body";
        }

        if (response.Status < 400)
        {
            return null;
        }

        if (!IsJsonObject(response.Body))
        {
            return "an error body that is not a JSON object";
        }

        var sent = Encoding.UTF8.GetString(fuzzCase.Body) + fuzzCase.RawPath;
        if (PathMarkers.FirstOrDefault(m => text.Contains(m, StringComparison.Ordinal) && !sent.Contains(m, StringComparison.Ordinal)) is { } path)
        {
            return $"a path ({path}) in the error body";
        }

        return text.Contains("Exception", StringComparison.Ordinal) && !sent.Contains("Exception", StringComparison.Ordinal)
            ? "an exception named in the error body"
            : null;
    }

    private static bool IsJsonObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // "   at Namespace.Type.Method(" as .NET prints a frame.
    [GeneratedRegex(@"\bat [A-Za-z_][\w`]*(\.[\w`<>]+)+\(", RegexOptions.CultureInvariant)]
    private static partial Regex StackFrame();
}
