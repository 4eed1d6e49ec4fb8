using System.Buffers;

namespace EdgeLlm.Api.Authentication;

/// <summary>
/// The rules for what an operator may type when creating a key. Names and tenants end up in logs, metrics
/// labels and file-system-like places, so they are kept to a small, unambiguous alphabet.
/// </summary>
internal static class ApiKeyValidation
{
    public const int MaxLabelLength = 64;

    private static readonly SearchValues<char> LabelChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsValidLabel(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && !value.AsSpan().ContainsAnyExcept(LabelChars);

    public static void ThrowIfInvalidLabel(string? value, string paramName)
    {
        if (!IsValidLabel(value))
        {
            throw new ArgumentException(
                $"The {paramName} must be 1 to {MaxLabelLength} characters of letters, digits, '.', '_' or '-'.",
                paramName);
        }
    }

    /// <summary>The distinct scopes in the order of <see cref="ApiScopes.All"/>, or an exception naming the bad one.</summary>
    public static string[] NormalizeScopes(IReadOnlyCollection<string>? scopes, string paramName)
    {
        if (scopes is null || scopes.Count == 0)
        {
            throw new ArgumentException($"At least one scope is required: {string.Join(", ", ApiScopes.All)}.", paramName);
        }

        foreach (var scope in scopes)
        {
            if (!ApiScopes.IsKnown(scope))
            {
                throw new ArgumentException(
                    $"Unknown scope '{scope}'. Known scopes: {string.Join(", ", ApiScopes.All)}.", paramName);
            }
        }

        return ApiScopes.All.Where(scopes.Contains).ToArray();
    }
}
