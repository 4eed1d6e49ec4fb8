using System.Buffers.Binary;
using System.Text;

namespace EdgeLlm.Updates.Signing;

/// <summary>
/// A parsed <c>.minisig</c> file: the algorithm (<c>ED</c>: Ed25519 over the BLAKE2b-512 of the file;
/// <c>Ed</c>: legacy, over the file itself), the signing key's id, the signature, the trusted comment and the
/// global signature over signature + trusted comment. Parsing is strict: exactly four LF-terminated lines.
/// </summary>
internal sealed record MinisignSignature(bool Prehashed, ulong KeyId, byte[] Signature, string TrustedComment, byte[] GlobalSignature)
{
    public const int MaxFileBytes = 2048;
    private const string TrustedPrefix = "trusted comment: ";

    public static MinisignSignature? TryParse(ReadOnlySpan<byte> file, out string? error)
    {
        error = null;
        if (file.Length > MaxFileBytes)
        {
            error = $"the signature file is larger than {MaxFileBytes} bytes";
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            error = "the signature file is not UTF-8";
            return null;
        }

        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count != 4 || text.Contains('\r', StringComparison.Ordinal))
        {
            error = "a signature file has exactly four lines ending in LF";
            return null;
        }

        if (!lines[0].StartsWith("untrusted comment: ", StringComparison.Ordinal) || !lines[2].StartsWith(TrustedPrefix, StringComparison.Ordinal))
        {
            error = "the comment lines are missing";
            return null;
        }

        var signature = Base64(lines[1], 74);
        var global = Base64(lines[3], 64);
        if (signature is null || global is null)
        {
            error = "a signature line is not base64 of the right length";
            return null;
        }

        var prehashed = signature[0] == (byte)'E' && signature[1] == (byte)'D';
        if (!prehashed && !(signature[0] == (byte)'E' && signature[1] == (byte)'d'))
        {
            error = "unknown signature algorithm";
            return null;
        }

        return new MinisignSignature(prehashed, BinaryPrimitives.ReadUInt64LittleEndian(signature.AsSpan(2, 8)), signature[10..], lines[2][TrustedPrefix.Length..], global);
    }

    private static byte[]? Base64(string line, int length)
    {
        try
        {
            var bytes = Convert.FromBase64String(line);
            return bytes.Length == length ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
