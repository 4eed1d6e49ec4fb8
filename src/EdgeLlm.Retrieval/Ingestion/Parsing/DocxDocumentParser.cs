using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// .docx through the OpenXml SDK: the SDK opens the package and finds the main document and styles
/// parts; their XML is then streamed (see <see cref="DocxXml"/>). Before the SDK touches anything, the
/// zip's central directory is checked against the part-count and uncompressed-size limits, so a
/// decompression bomb is refused without inflating a byte.
/// </summary>
internal static class DocxDocumentParser
{
    public static DocumentParseResult Parse(ReadOnlyMemory<byte> content, DocumentParsingLimits limits)
    {
        using var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        if (CheckPackage(stream, limits) is { } refusal)
        {
            return refusal;
        }

        stream.Position = 0;
        try
        {
            return ReadPackage(stream, limits);
        }
        catch (DocumentLimitExceededException exception)
        {
            return new DocumentParseResult.Rejected(exception.Reason, exception.Message);
        }
        catch (Exception exception) when (IsBrokenPackage(exception))
        {
            return NotAPackage();
        }
    }

    private static DocumentParseResult.Rejected? CheckPackage(Stream stream, DocumentParsingLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > limits.MaxDocxParts)
            {
                return new(DocumentRejection.TooLarge, $"The .docx package has {zip.Entries.Count} parts; at most {limits.MaxDocxParts} are accepted.");
            }

            var uncompressed = zip.Entries.Sum(entry => entry.Length);
            return uncompressed > limits.MaxDocxUncompressedBytes
                ? new(DocumentRejection.TooLarge, $"The .docx package expands to {uncompressed} bytes; at most {limits.MaxDocxUncompressedBytes} are accepted.")
                : null;
        }
        catch (InvalidDataException)
        {
            return NotAPackage();
        }
    }

    private static DocumentParseResult ReadPackage(Stream stream, DocumentParsingLimits limits)
    {
        using var package = WordprocessingDocument.Open(stream, isEditable: false, new OpenSettings
        {
            AutoSave = false,
            MaxCharactersInPart = limits.MaxDocxPartCharacters,
        });
        if (package.MainDocumentPart is not { } main)
        {
            return new DocumentParseResult.Rejected(DocumentRejection.Malformed, "The .docx package has no main document part.");
        }

        var styles = DocxStyles.None;
        if (main.StyleDefinitionsPart is { } stylesPart)
        {
            using var stylesReader = DocxXml.Open(stylesPart.GetStream(FileMode.Open, FileAccess.Read), limits);
            if (DocxStyles.Read(stylesReader, limits.MaxNestingDepth) is not { } read)
            {
                return TooDeep(limits);
            }

            styles = read;
        }

        var builder = new DocumentTextBuilder();
        using var bodyReader = DocxXml.Open(main.GetStream(FileMode.Open, FileAccess.Read), limits);
        if (DocxBodyReader.Read(bodyReader, styles, builder, limits.MaxNestingDepth) is not { } body)
        {
            return TooDeep(limits);
        }

        var title = body.Title ?? NonEmpty(package.PackageProperties.Title) ?? builder.FirstTopHeading;
        return new DocumentParseResult.Parsed(builder.Build(title), DocumentType.Docx);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // What the zip, System.IO.Packaging, SDK and XML layers throw for a corrupt or hostile package (lying
    // headers, missing content types, bad relationships, invalid XML). Anything else is a bug and escapes.
    private static bool IsBrokenPackage(Exception exception) =>
        exception is InvalidDataException or IOException or FormatException or XmlException
            or OpenXmlPackageException or InvalidOperationException or NotSupportedException or ArgumentException
            or UnauthorizedAccessException;

    private static DocumentParseResult.Rejected NotAPackage() =>
        new(DocumentRejection.Malformed, "The content is not a valid .docx package.");

    private static DocumentParseResult.Rejected TooDeep(DocumentParsingLimits limits) =>
        new(DocumentRejection.Malformed, $"The .docx XML is nested deeper than {limits.MaxNestingDepth} levels.");
}
