using System.Text;

namespace EdgeLlm.Daemon.Cli;

/// <summary>The files an ingest covers, each with a stable document id made from its path.</summary>
internal static class IngestFiles
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".txt", ".md", ".markdown", ".html", ".htm", ".docx" };

    public static List<IngestFile> Find(IReadOnlyList<string> paths, out List<string> missing)
    {
        missing = [];
        var files = new List<IngestFile>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                files.Add(new IngestFile(full, DocumentId(Path.GetFileName(full))));
            }
            else if (Directory.Exists(full))
            {
                foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal))
                {
                    files.Add(new IngestFile(file, DocumentId(Path.GetRelativePath(Path.GetDirectoryName(full) ?? full, file))));
                }
            }
            else
            {
                missing.Add(path);
            }
        }

        return files;
    }

    /// <summary>The path with every character outside the id alphabet replaced, at most 128 characters (long paths keep their end).</summary>
    internal static string DocumentId(string relativePath)
    {
        var id = new StringBuilder(relativePath.Length);
        foreach (var c in relativePath)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var text = id.ToString().TrimStart('.', '_', '-');
        text = text.Length > 128 ? text[^128..].TrimStart('.', '_', '-') : text;
        return text.Length == 0 ? "document" : text;
    }
}

/// <summary>One file to ingest and the document id it gets.</summary>
internal sealed record IngestFile(string Path, string DocumentId);
