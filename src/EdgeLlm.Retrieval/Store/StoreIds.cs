using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace EdgeLlm.Retrieval.Store;

/// <summary>Ids of collections, documents and jobs: random where the store makes them, and a strict shape where clients choose them (no paths, no separators).</summary>
public static partial class StoreIds
{
    public static string NewCollectionId() => "col_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public static string NewDocumentId() => "doc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public static string NewJobId() => "job_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>Collection names: 1-64 characters, same alphabet as ids.</summary>
    public static bool IsValidName(string? name) => name is { Length: <= 64 } && Shape().IsMatch(name);

    // \A…\z, not ^…$: .NET's $ also matches before a final "\n", which would let "name\n" through.
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
