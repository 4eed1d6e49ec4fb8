namespace EdgeLlm.Guardrails.Detection;

/// <summary>A detector whose every match starts at or just before a run of digits: it can take the runs a set already found.</summary>
internal interface IDigitRunDetector : IEntityDetector
{
    /// <summary>The same matches as <see cref="IEntityDetector.Find"/>, given the text's <paramref name="runs"/>.</summary>
    List<EntityMatch> Find(string text, DigitRuns runs);
}
