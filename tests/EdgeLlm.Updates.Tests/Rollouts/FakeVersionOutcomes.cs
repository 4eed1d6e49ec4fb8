using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>What each version did in a window, as the test says: one window per version, whatever the interval asked for.</summary>
internal sealed class FakeVersionOutcomes : IVersionOutcomes
{
    private readonly List<(ServedVersion Version, DateTimeOffset From, DateTimeOffset To)> _asked = [];

    public VersionWindow ActiveWindow { get; set; } = Healthy(100);

    public VersionWindow CandidateWindow { get; set; } = Healthy(100);

    public IReadOnlyList<(ServedVersion Version, DateTimeOffset From, DateTimeOffset To)> Asked
    {
        get
        {
            lock (_asked)
            {
                return [.. _asked];
            }
        }
    }

    /// <summary><paramref name="requests"/> answered without an error, first token at 100 ms (p95), 50 tokens/s.</summary>
    public static VersionWindow Healthy(int requests) => new(requests, 0, requests > 0 ? 100 : null, requests > 0 ? 50 : null, 0);

    public VersionWindow Window(string model, ServedVersion version, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_asked)
        {
            _asked.Add((version, from, to));
        }

        return version == ServedVersion.Active ? ActiveWindow : CandidateWindow;
    }
}
