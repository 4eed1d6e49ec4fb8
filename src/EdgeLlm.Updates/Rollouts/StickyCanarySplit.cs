using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// The per-request split of a rollout: each client (API key id or <c>user</c> field, as the rollout says, the other
/// when that is missing) falls in one of 10,000 buckets by a SHA-256 of the rollout id and its key, and goes to the
/// candidate when its bucket is below the weight. The bucket never changes during a rollout, so a client stays on its
/// version, and one on the candidate at 5 % is still on it at 25 %. A request with neither key nor user goes to the
/// active version.
/// </summary>
public sealed class StickyCanarySplit(LiveRollouts rollouts) : ICanarySplit
{
    public const int Buckets = 10_000;

    public bool ToCandidate(string model, string? apiKeyId, string? user) => rollouts.Find(model) is { } rollout && Chooses(rollout, apiKeyId, user);

    /// <summary>Whether <paramref name="rollout"/>'s candidate takes the client of this key id or user now.</summary>
    public static bool Chooses(LiveRollout rollout, string? apiKeyId, string? user)
    {
        if (rollout.WeightPercent <= 0)
        {
            return false;
        }

        var byUser = rollout.StickyBy == RolloutStickiness.User ? !string.IsNullOrEmpty(user) : string.IsNullOrEmpty(apiKeyId);
        var key = byUser ? user : apiKeyId;
        // The key's kind is hashed too, so a user named like a key id is a different client.
        return !string.IsNullOrEmpty(key) && Bucket(rollout.RolloutId, (byUser ? "user:" : "key:") + key) < rollout.WeightPercent * (Buckets / 100);
    }

    /// <summary>The bucket (0-9,999) of <paramref name="key"/> in rollout <paramref name="rolloutId"/>: stable across processes and restarts.</summary>
    public static int Bucket(string rolloutId, string key)
    {
        var text = rolloutId + "\n" + key;
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }
}
