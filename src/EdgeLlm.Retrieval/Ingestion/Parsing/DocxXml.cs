using System.Xml;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>Reading WordprocessingML parts as untrusted XML streams.</summary>
internal static class DocxXml
{
    private const string Transitional = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string Strict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
    private const string MarkupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006";

    /// <summary>
    /// A forward-only reader over a part: no DTDs, no external resolution, a cap on characters, and a cap
    /// on the bytes that decompression may produce. Streaming keeps memory flat whatever the part size,
    /// and unlike the SDK's DOM it never recurses, so nesting depth is the caller's to check.
    /// </summary>
    public static XmlReader Open(Stream partStream, DocumentParsingLimits limits) =>
        XmlReader.Create(new BoundedReadStream(partStream, limits.MaxDocxUncompressedBytes), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxDocxPartCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        });

    /// <summary>Whether the reader is on a WordprocessingML element (transitional or strict).</summary>
    public static bool IsWord(XmlReader reader) => reader.NamespaceURI is Transitional or Strict;

    /// <summary>
    /// Whether the reader is on an <c>mc:Fallback</c>: the same content as its <c>mc:Choice</c> for older
    /// readers, which would index it twice.
    /// </summary>
    public static bool IsFallback(XmlReader reader) =>
        reader.NamespaceURI == MarkupCompatibility && reader.LocalName == "Fallback";

    /// <summary>The <c>w:val</c> attribute of the current element.</summary>
    public static string? Value(XmlReader reader) =>
        reader.GetAttribute("val", Transitional) ?? reader.GetAttribute("val", Strict);

    /// <summary>A <c>w:</c> attribute of the current element.</summary>
    public static string? Attribute(XmlReader reader, string localName) =>
        reader.GetAttribute(localName, Transitional) ?? reader.GetAttribute(localName, Strict);
}
