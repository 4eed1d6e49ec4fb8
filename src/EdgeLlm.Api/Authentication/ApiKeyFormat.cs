using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace EdgeLlm.Api.Authentication;

/// <summary>
/// The text form of an API key: <c>ellm_&lt;id&gt;_&lt;secret&gt;</c>. The id (12 chars of lower-case base32) finds
/// the record; the secret (32 random bytes, base64url) proves possession. The prefix makes a leaked key easy
/// to recognise in a paste or a secret scanner.
/// </summary>
internal static class ApiKeyFormat
{
    private const string Prefix = "ellm_";
    private const int IdLength = 12;
    private const int SecretBytes = 32;
    private const int SecretLength = 43; // base64url of 32 bytes, unpadded
    private const int KeyLength = 5 /* prefix */ + IdLength + 1 /* separator */ + SecretLength;

    // RFC 4648 base32 in lower case. It has no '_', so the id always ends at a fixed offset even though
    // the base64url secret may itself contain '_'.
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly SearchValues<char> IdChars = SearchValues.Create(IdAlphabet);

    // Checked before decoding: the decoder throws, rather than returning false, on characters outside it.
    private static readonly SearchValues<char> SecretChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A fresh key: its id, its full text, and the SHA-256 of its secret (all the store keeps).</summary>
    public static (string Id, string Key, byte[] SecretHash) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        try
        {
            var key = string.Concat(Prefix, id, "_", Base64Url.EncodeToString(secret));
            return (id, key, SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// Splits a presented key into its id and the hash of its secret. Returns false, never throws, for
    /// anything not exactly of the key's shape, so garbage costs no database look-up.
    /// </summary>
    public static bool TryParse(string? presented, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out byte[]? secretHash)
    {
        id = null;
        secretHash = null;
        if (presented is null || presented.Length != KeyLength || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var idSpan = presented.AsSpan(Prefix.Length, IdLength);
        var encoded = presented.AsSpan(KeyLength - SecretLength);
        if (idSpan.ContainsAnyExcept(IdChars) || presented[Prefix.Length + IdLength] != '_' || encoded.ContainsAnyExcept(SecretChars))
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        try
        {
            if (!Base64Url.TryDecodeFromChars(encoded, secret, out var written) || written != SecretBytes)
            {
                return false;
            }

            id = idSpan.ToString();
            secretHash = SHA256.HashData(secret);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
