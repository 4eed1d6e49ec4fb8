using System.Buffers.Binary;

namespace EdgeLlm.Updates.Signing;

/// <summary>
/// A minisign public key: the <c>Ed</c> algorithm tag, an 8-byte key id and a 32-byte Ed25519 key, as
/// written by <c>minisign -G</c> (an untrusted comment line, then the base64 of those 42 bytes).
/// </summary>
public sealed record MinisignPublicKey(ulong KeyId, byte[] Key, string Source)
{
    private const int MaxFileBytes = 4096;

    /// <summary>The key id as minisign prints it (upper-case hex, as in "minisign public key 34618768E2FCC365").</summary>
    public string KeyIdText => KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a <c>.pub</c> file's text; null with a reason when it is not one.</summary>
    public static MinisignPublicKey? TryParse(string text, string source, out string? error)
    {
        if (text.Length > MaxFileBytes)
        {
            error = "the key file is too large";
            return null;
        }

        var lines = text.Split('\n');
        var last = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (last != 2 || !lines[0].StartsWith("untrusted comment: ", StringComparison.Ordinal) || lines.Any(l => l.Contains('\r', StringComparison.Ordinal)))
        {
            error = "not a minisign public key (two lines: an untrusted comment and the key)";
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(lines[1]);
        }
        catch (FormatException)
        {
            error = "the key line is not base64";
            return null;
        }

        if (bytes.Length != 42 || bytes[0] != (byte)'E' || bytes[1] != (byte)'d')
        {
            error = "the key is not a minisign Ed25519 key";
            return null;
        }

        error = null;
        return new MinisignPublicKey(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(2, 8)), bytes[10..], source);
    }
}
