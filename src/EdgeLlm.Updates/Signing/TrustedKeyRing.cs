namespace EdgeLlm.Updates.Signing;

/// <summary>
/// The publisher keys this device trusts: every <c>*.pub</c> in the trusted-keys folder. Several may be trusted
/// at once, so a publisher can rotate keys by shipping the new one before signing with it. A file that is not a
/// key is reported, never half-trusted.
/// </summary>
public sealed class TrustedKeyRing
{
    private const int MaxKeys = 64;
    private readonly Dictionary<ulong, MinisignPublicKey> _keys;

    private TrustedKeyRing(Dictionary<ulong, MinisignPublicKey> keys, IReadOnlyList<string> problems)
    {
        _keys = keys;
        Problems = problems;
    }

    public IReadOnlyCollection<MinisignPublicKey> Keys => _keys.Values;

    /// <summary>Files in the folder that could not be used as keys, each with why.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static TrustedKeyRing Load(string directory)
    {
        var keys = new Dictionary<ulong, MinisignPublicKey>();
        var problems = new List<string>();
        if (!Directory.Exists(directory))
        {
            return new TrustedKeyRing(keys, [$"{directory} does not exist; no key is trusted"]);
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.pub").Order(StringComparer.Ordinal).Take(MaxKeys))
        {
            var info = new FileInfo(file);
            string? error = "the file is too large";
            var key = info.Length > 4096 ? null : MinisignPublicKey.TryParse(File.ReadAllText(file), file, out error);
            if (key is null)
            {
                problems.Add($"{file}: {error}");
            }
            else if (!keys.TryAdd(key.KeyId, key))
            {
                problems.Add($"{file}: key {key.KeyIdText} is already trusted from {keys[key.KeyId].Source}");
            }
        }

        return new TrustedKeyRing(keys, problems);
    }

    public static TrustedKeyRing Of(params MinisignPublicKey[] keys) => new(keys.ToDictionary(k => k.KeyId), []);

    public MinisignPublicKey? Find(ulong keyId) => _keys.GetValueOrDefault(keyId);
}
