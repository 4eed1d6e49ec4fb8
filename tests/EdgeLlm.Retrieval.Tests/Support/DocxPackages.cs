using System.IO.Compression;
using System.Text;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>Hand-built .docx packages (zip files) for the cases the SDK would refuse to write.</summary>
internal static class DocxPackages
{
    public const string WordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private const string ContentTypes =
        """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""";

    private const string RootRelationships =
        """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""";

    /// <summary>A minimal valid package whose document body is <paramref name="bodyXml"/> (w: and mc: are bound).</summary>
    public static byte[] WithBody(string bodyXml) => WithDocumentXml(DocumentXml(bodyXml));

    /// <summary>A package whose main document part is exactly <paramref name="documentXml"/>.</summary>
    public static byte[] WithDocumentXml(string documentXml) => Zip(Parts(documentXml));

    /// <summary>The parts of a minimal package, to add more to.</summary>
    public static (string Name, string Content)[] Parts(string documentXml) =>
        [("[Content_Types].xml", ContentTypes), ("_rels/.rels", RootRelationships), ("word/document.xml", documentXml)];

    public static string DocumentXml(string bodyXml) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{WordNamespace}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{bodyXml}</w:body></w:document>""";

    /// <summary>The package parts of a docx but no main document part.</summary>
    public static byte[] WithoutDocument() => Zip(
        ("[Content_Types].xml", ContentTypes),
        ("_rels/.rels", RootRelationships));

    public static byte[] Zip(params (string Name, string Content)[] entries) =>
        Zip(entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Content))).ToArray());

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }
}
