using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>A detector whose hits below the policy's score for its family are dropped before overlaps are resolved.</summary>
internal sealed class MinimumScoreDetector(IEntityDetector inner, double minimum) : IEntityDetector
{
    public string Family => inner.Family;

    public int MaxMatchLength => inner.MaxMatchLength;

    public IEnumerable<EntityMatch> Find(string text) => inner.Find(text).Where(m => m.Score >= minimum);
}
