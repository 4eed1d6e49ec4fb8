namespace EdgeLlm.Inference.Constraints;

/// <summary>JSON Pointer (RFC 6901) token escaping for the paths in refusals and <c>$ref</c>.</summary>
internal static class Pointer
{
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
