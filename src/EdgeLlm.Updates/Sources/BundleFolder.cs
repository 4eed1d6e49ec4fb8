using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Updates.Sources;

/// <summary>A bundle shipped as a folder (a USB stick, <c>scp -r</c>): judged by the verifier, then only its listed artifacts are copied, each checked while copied.</summary>
public static class BundleFolder
{
    public static async Task<BundleCheck> StageAsync(BundleVerifier verifier, string folder, string stagingDirectory, CancellationToken cancellationToken)
    {
        var check = verifier.Check(folder);
        if (check is not BundleCheck.Accepted accepted)
        {
            return check;
        }

        Directory.CreateDirectory(stagingDirectory);
        var staged = new List<string>();
        foreach (var artifact in accepted.Manifest.Artifacts)
        {
            var destination = Path.Combine(stagingDirectory, artifact.Name);
            await using var source = new FileStream(Path.Combine(folder, artifact.Name), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            if (await ArtifactStager.CopyAsync(source, artifact, destination, cancellationToken) is { } refused)
            {
                // A bundle is staged whole or not at all.
                staged.ForEach(File.Delete);
                return refused;
            }

            staged.Add(destination);
        }

        return accepted;
    }

    /// <summary>How to stage whatever sits at <paramref name="path"/>: a folder, or a <c>.tar</c>.</summary>
    public static Func<string, CancellationToken, Task<BundleCheck>> StagerFor(string path, BundleVerifier verifier, BundleArchive archive) =>
        Directory.Exists(path)
            ? (staging, ct) => StageAsync(verifier, path, staging, ct)
            : (staging, ct) => archive.StageAsync(path, staging, ct);
}
