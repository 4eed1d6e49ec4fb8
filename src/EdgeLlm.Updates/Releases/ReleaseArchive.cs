using System.Formats.Tar;

namespace EdgeLlm.Updates.Releases;

/// <summary>
/// Unpacks a daemon release (a <c>.tar</c> of a published daemon folder, already checked against its signed size
/// and SHA-256) into a new folder: only folders and plain files with relative paths, no <c>..</c>, no links or
/// devices, at most <see cref="MaxEntries"/> entries; execute bits are kept, nothing else of the modes.
/// </summary>
public static class ReleaseArchive
{
    public const int MaxEntries = 20_000;
    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Null when unpacked; otherwise why the archive was refused (the target folder is then removed).</summary>
    public static async Task<string?> ExtractAsync(string archive, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        var entries = 0;
        try
        {
            await using var stream = File.OpenRead(archive);
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
                var path = Path.GetFullPath(Path.Combine(target, name));
                if (++entries > MaxEntries || entry.Name.StartsWith('/') || entry.Name.Split('/').Contains("..") || !(path + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
                {
                    return Refuse(target, $"entry '{entry.Name}' leaves the release folder or there are too many entries");
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile when entry.DataStream is { } data && name.Length > 0:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                        {
                            await data.CopyToAsync(file, cancellationToken);
                        }

                        if (!OperatingSystem.IsWindows())
                        {
                            File.SetUnixFileMode(path, Readable | (entry.Mode & Executable));
                        }

                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        break;
                    default:
                        return Refuse(target, $"entry '{entry.Name}' is a {entry.EntryType}; a release holds only folders and plain files");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            return Refuse(target, "the release is not a valid tar: " + ex.Message);
        }

        return File.Exists(Path.Combine(target, "edgellm")) ? null : Refuse(target, "the release has no 'edgellm' executable at its top level");
    }

    private static string Refuse(string target, string why)
    {
        Directory.Delete(target, recursive: true);
        return why;
    }
}
