using System.Security.Cryptography;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>Writes a bundle folder the way a publisher does: artifacts, a manifest, and <c>minisign -Sm manifest.json</c>.</summary>
internal static class SignedBundle
{
    public static string Create(
        Minisign minisign,
        string key,
        long sequence,
        DateTimeOffset created,
        DateTimeOffset expires,
        string target = "default",
        string channel = "stable",
        Dictionary<string, byte[]>? artifacts = null)
    {
        var folder = Path.Combine(minisign.Folder, $"bundle-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        artifacts ??= new Dictionary<string, byte[]> { ["model.gguf"] = RandomNumberGenerator.GetBytes(4096) };
        foreach (var (name, bytes) in artifacts)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        var manifest = new Dictionary<string, object>
        {
            ["name"] = "models",
            ["channel"] = channel,
            ["sequence"] = sequence,
            ["created"] = created,
            ["expires"] = expires,
            ["target"] = target,
            ["artifacts"] = artifacts.Select(a => new Dictionary<string, object>
            {
                ["kind"] = "model",
                ["name"] = a.Key,
                ["size"] = a.Value.LongLength,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(a.Value)),
            }).ToList(),
        };
        var path = Path.Combine(folder, "manifest.json");
        File.WriteAllText(path, JsonSerializer.Serialize(manifest));
        minisign.Sign(key, path, $"bundle models {sequence}");
        return folder;
    }
}
