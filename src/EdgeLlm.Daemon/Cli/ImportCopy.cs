using System.Formats.Tar;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// Copies a verified bundle into the drop folder while checking every artifact's size and SHA-256 against the
/// signed manifest, in the same single read of the (slow) source: a folder artifact by artifact, a <c>.tar</c> as
/// one stream whose listed entries are hashed on the way. The copy goes under a hidden name (which the drop-folder
/// watcher ignores) and is renamed into place only when everything matched; otherwise it is removed and the first
/// mismatch is the answer.
/// </summary>
internal sealed class ImportCopy(ImportProgress progress)
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Queues <paramref name="bundle"/> as <paramref name="target"/>; the refusal when an artifact does not match.</summary>
    public async Task<BundleCheck.Refused?> QueueAsync(string bundle, BundleManifest manifest, string target, CancellationToken cancellationToken)
    {
        var hidden = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target));
        try
        {
            var refused = Directory.Exists(bundle)
                ? await CopyFolderAsync(bundle, manifest, hidden, cancellationToken)
                : await CopyArchiveAsync(bundle, manifest, hidden, cancellationToken);
            if (refused is null)
            {
                Action<string, string> rename = Directory.Exists(hidden) ? Directory.Move : File.Move;
                rename(hidden, target);
            }

            return refused;
        }
        finally
        {
            progress.Interrupted();
            Remove(hidden);
        }
    }

    private async Task<BundleCheck.Refused?> CopyFolderAsync(string bundle, BundleManifest manifest, string hidden, CancellationToken cancellationToken)
    {
        // Sizes first: a short copy is reported before a single byte is hashed.
        foreach (var artifact in manifest.Artifacts)
        {
            var length = new FileInfo(Path.Combine(bundle, artifact.Name)).Length;
            if (length != artifact.Size)
            {
                return SizeMismatch(artifact, length);
            }
        }

        Directory.CreateDirectory(hidden);
        foreach (var artifact in manifest.Artifacts)
        {
            var file = new FileStream(Path.Combine(bundle, artifact.Name), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using var source = progress.Track(file, artifact.Name, artifact.Size);
            if (await ArtifactStager.CopyAsync(source, artifact, Path.Combine(hidden, artifact.Name), cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        foreach (var signed in new[] { BundleVerifier.ManifestFile, BundleVerifier.SignatureFile })
        {
            File.Copy(Path.Combine(bundle, signed), Path.Combine(hidden, signed));
        }

        return null;
    }

    private async Task<BundleCheck.Refused?> CopyArchiveAsync(string archive, BundleManifest manifest, string hidden, CancellationToken cancellationToken)
    {
        var artifacts = manifest.Artifacts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using var source = progress.Track(file, Path.GetFileName(archive), file.Length);
        await using (var copy = new FileStream(hidden, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous))
        {
            // The archive is read once, as a stream: every byte the reader takes is also written to the copy.
            var tee = new ReadTap(source, (chunk, ct) => copy.WriteAsync(chunk, ct), ownsSource: false);
            await using (var reader = new TarReader(tee, leaveOpen: true))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (!artifacts.TryGetValue(entry.Name, out var artifact) || entry.DataStream is not { } data)
                    {
                        continue;
                    }

                    if (entry.Length != artifact.Size)
                    {
                        return SizeMismatch(artifact, entry.Length);
                    }

                    if (await ArtifactStager.CheckAsync(data, artifact, cancellationToken) is { } refused)
                    {
                        return refused;
                    }
                }
            }

            // The end-of-archive blocks and any padding after them.
            await tee.CopyToAsync(Stream.Null, cancellationToken);
            await copy.FlushAsync(cancellationToken);
            copy.Flush(flushToDisk: true);
        }

        return null;
    }

    private static BundleCheck.Refused SizeMismatch(BundleArtifact artifact, long length) =>
        new(BundleErrors.ArtifactSizeMismatch, $"Artifact '{artifact.Name}' has {length} bytes; the manifest signs {artifact.Size}. The copy is damaged or incomplete.");

    private static void Remove(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }
}
