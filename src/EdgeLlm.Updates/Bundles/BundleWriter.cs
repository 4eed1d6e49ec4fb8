using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// What a publisher needs besides minisign: a bundle folder with the artifacts copied in and a manifest listing
/// each with its size and SHA-256. Signing stays with the stock tool (<c>minisign -Sm manifest.json</c>).
/// </summary>
public static class BundleWriter
{
    /// <summary>
    /// The artifact kind a file gets from its name: <c>.gguf</c> is a model, <c>edgellm-*.tar</c> a daemon release (a
    /// <c>.tar</c> of a published daemon folder), <c>&lt;name&gt;.policy.json</c> a guardrail policy, anything else configuration.
    /// </summary>
    public static string KindOf(string fileName) =>
        fileName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? "model"
        : fileName.StartsWith("edgellm-", StringComparison.Ordinal) && fileName.EndsWith(".tar", StringComparison.Ordinal) ? "daemon"
        : fileName.EndsWith(Policies.PolicyArtifacts.FileSuffix, StringComparison.Ordinal) ? "policy"
        : "config";

    /// <summary>Writes the bundle into <paramref name="output"/> (which must not exist yet); returns the manifest written.</summary>
    public static async Task<BundleManifest> WriteAsync(BundleDescription description, IReadOnlyList<string> files, string output, CancellationToken cancellationToken)
    {
        if (Directory.Exists(output) || File.Exists(output))
        {
            throw new IOException($"{output} already exists; a bundle is written into a new folder.");
        }

        var names = files.Select(Path.GetFileName).ToList();
        if (names.Any(n => !BundleManifestReader.IsSafeName(n)) || names.Distinct(StringComparer.Ordinal).Count() != names.Count
            || names.Contains(BundleVerifier.ManifestFile) || names.Contains(BundleVerifier.SignatureFile))
        {
            throw new ArgumentException("Artifact file names must be unique and 1-128 of letters, digits, '.', '_' or '-'.", nameof(files));
        }

        if (!BundleManifestReader.IsSafeName(description.Name) || !BundleManifestReader.IsSafeName(description.Channel) || !BundleManifestReader.IsSafeName(description.Target)
            || description.Sequence <= 0 || description.Expires <= description.Created)
        {
            throw new ArgumentException("Name, channel and target must be 1-128 of letters, digits, '.', '_' or '-'; sequence positive; expiry after creation.", nameof(description));
        }

        Directory.CreateDirectory(output);
        try
        {
            return await WriteIntoAsync(description, files, output, cancellationToken);
        }
        catch
        {
            Directory.Delete(output, recursive: true);
            throw;
        }
    }

    private static async Task<BundleManifest> WriteIntoAsync(BundleDescription description, IReadOnlyList<string> files, string output, CancellationToken cancellationToken)
    {
        var artifacts = new List<BundleArtifact>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var destination = Path.Combine(output, name);
            await using (var source = File.OpenRead(file))
            await using (var target = File.Create(destination))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                artifacts.Add(new BundleArtifact(KindOf(name), name, source.Length, Convert.ToHexStringLower(hash.GetHashAndReset())));
            }
        }

        var manifest = new BundleManifest(description.Name, description.Channel, description.Sequence, description.Created, description.Expires, description.Target, artifacts);
        var json = JsonSerializer.Serialize(manifest, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
        await File.WriteAllTextAsync(Path.Combine(output, BundleVerifier.ManifestFile), json, cancellationToken);
        return BundleManifestReader.TryRead(File.ReadAllBytes(Path.Combine(output, BundleVerifier.ManifestFile)), out var error)
            ?? throw new InvalidOperationException("The manifest written does not read back: " + error);
    }
}

/// <summary>A bundle's identity and freshness, as the publisher gives them.</summary>
public sealed record BundleDescription(string Name, string Channel, long Sequence, DateTimeOffset Created, DateTimeOffset Expires, string Target);
