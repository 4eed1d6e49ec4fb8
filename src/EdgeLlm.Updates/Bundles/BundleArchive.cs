using System.Formats.Tar;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// A bundle shipped as one <c>.tar</c>. The archive is read twice and never unpacked as a whole: first every
/// entry is checked (plain files at the top level only: no absolute paths, no <c>..</c>, no folders, links or
/// device nodes) while only the manifest and its signature are read into memory; the bundle is then judged by
/// <see cref="BundleVerifier"/>; only after that are the listed artifacts streamed into staging, each through
/// <see cref="ArtifactStager"/>'s size and SHA-256 check.
/// </summary>
public sealed class BundleArchive(BundleVerifier verifier)
{
    private const int MaxEntries = 1024;

    /// <summary>The verdict on the archive's entries, manifest and signature, without reading any artifact.</summary>
    public async Task<BundleCheck> CheckAsync(string archivePath, CancellationToken cancellationToken)
    {
        var (manifest, signature, entries, hostile) = await ReadEntriesAsync(archivePath, cancellationToken);
        if (hostile is not null)
        {
            return hostile;
        }

        return manifest is null || signature is null
            ? new BundleCheck.Refused(BundleErrors.Incomplete, $"A bundle needs {BundleVerifier.ManifestFile} and {BundleVerifier.SignatureFile}.")
            : verifier.Check(manifest, signature, entries);
    }

    public async Task<BundleCheck> StageAsync(string archivePath, string stagingDirectory, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(archivePath, cancellationToken);
        if (check is not BundleCheck.Accepted accepted)
        {
            return check;
        }

        Directory.CreateDirectory(stagingDirectory);
        var artifacts = accepted.Manifest.Artifacts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var staged = new List<string>();
        await using var stream = File.OpenRead(archivePath);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (artifacts.TryGetValue(entry.Name, out var artifact) && entry.DataStream is { } data)
            {
                var destination = Path.Combine(stagingDirectory, artifact.Name);
                if (await ArtifactStager.CopyAsync(data, artifact, destination, cancellationToken) is { } refused)
                {
                    // A bundle is staged whole or not at all.
                    staged.ForEach(File.Delete);
                    return refused;
                }

                staged.Add(destination);
            }
        }

        return accepted;
    }

    private static async Task<(byte[]? Manifest, byte[]? Signature, Dictionary<string, bool> Entries, BundleCheck.Refused? Hostile)> ReadEntriesAsync(
        string archivePath, CancellationToken cancellationToken)
    {
        byte[]? manifest = null;
        byte[]? signature = null;
        var entries = new Dictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            await using var stream = File.OpenRead(archivePath);
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var why = Hostile(entry) ?? (entries.Count >= MaxEntries || entries.ContainsKey(entry.Name) ? "too many or repeated entries" : null);
                if (why is not null)
                {
                    return (null, null, entries, new BundleCheck.Refused(BundleErrors.HostileEntry, $"Archive entry '{entry.Name}' is refused: {why}."));
                }

                switch (entry.Name)
                {
                    case BundleVerifier.ManifestFile when manifest is null:
                        manifest = await ReadSmallAsync(entry, BundleManifestReader.MaxManifestBytes, cancellationToken);
                        break;
                    case BundleVerifier.SignatureFile when signature is null:
                        signature = await ReadSmallAsync(entry, Signing.MinisignSignature.MaxFileBytes, cancellationToken);
                        break;
                    default:
                        entries[entry.Name] = true;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            return (null, null, entries, new BundleCheck.Refused(BundleErrors.HostileEntry, "The archive is not a valid tar: " + ex.Message));
        }

        return (manifest, signature, entries, null);
    }

    private static string? Hostile(TarEntry entry) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile when BundleManifestReader.IsSafeName(entry.Name) || entry.Name is BundleVerifier.ManifestFile or BundleVerifier.SignatureFile => null,
        TarEntryType.RegularFile or TarEntryType.V7RegularFile => "only plain file names at the top level (no absolute paths, no '..', no folders)",
        TarEntryType.SymbolicLink or TarEntryType.HardLink => "links are not allowed",
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo => "device nodes are not allowed",
        _ => $"entries of type {entry.EntryType} are not allowed",
    };

    private static async Task<byte[]?> ReadSmallAsync(TarEntry entry, int limit, CancellationToken cancellationToken)
    {
        if (entry.DataStream is not { } data || entry.Length > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await data.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
