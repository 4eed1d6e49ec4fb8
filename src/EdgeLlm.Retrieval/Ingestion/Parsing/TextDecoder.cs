using System.Text;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Turns the bytes of a text format into a string, or says why they are not text. Accepted: UTF-8 with
/// or without a BOM, and UTF-16 with a BOM. Anything else that is not valid UTF-8 is refused rather than
/// guessed at, because a wrong guess indexes mojibake that no search will ever match.
/// </summary>
internal static class TextDecoder
{
    private sealed record Signature(string Name, byte[] Magic);

    // Formats whose files are sometimes renamed to .txt/.md/.html; valid-looking headers must not get
    // through on the strength of an ASCII prefix (a PDF can be mostly ASCII).
    private static readonly Signature[] BinarySignatures =
    [
        new("a PDF file", "%PDF-"u8.ToArray()),
        new("a zip archive", [0x50, 0x4B, 0x03, 0x04]),
        new("a zip archive", [0x50, 0x4B, 0x05, 0x06]),
        new("an ELF executable", [0x7F, 0x45, 0x4C, 0x46]),
        new("a gzip archive", [0x1F, 0x8B]),
        new("a PNG image", [0x89, 0x50, 0x4E, 0x47]),
        new("a JPEG image", [0xFF, 0xD8, 0xFF]),
        new("a legacy Office (OLE) file", [0xD0, 0xCF, 0x11, 0xE0]),
        new("a 7-Zip archive", [0x37, 0x7A, 0xBC, 0xAF]),
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16LittleEndian = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16BigEndian = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>The decoded text, or null with <paramref name="whyNot"/> saying what the bytes are instead.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, out string whyNot)
    {
        foreach (var signature in BinarySignatures)
        {
            if (bytes.StartsWith(signature.Magic))
            {
                whyNot = $"The content is {signature.Name}, not text.";
                return null;
            }
        }

        var (encoding, bomLength, name) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, 3, "UTF-8"),
            [0xFF, 0xFE, ..] => ((Encoding)StrictUtf16LittleEndian, 2, "UTF-16"),
            [0xFE, 0xFF, ..] => (StrictUtf16BigEndian, 2, "UTF-16"),
            _ => (StrictUtf8, 0, "UTF-8"),
        };

        string text;
        try
        {
            text = encoding.GetString(bytes[bomLength..]);
        }
        catch (DecoderFallbackException)
        {
            whyNot = bomLength == 0
                ? "The content is not valid UTF-8 text (other encodings need a UTF-16 byte-order mark)."
                : $"The content is not valid {name} text.";
            return null;
        }

        // Valid UTF-8 can still be binary; a NUL never occurs in a real text document.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            whyNot = "The content contains NUL characters, so it is binary, not text.";
            return null;
        }

        whyNot = "";
        return text;
    }
}
