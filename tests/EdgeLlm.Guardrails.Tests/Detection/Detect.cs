using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>Shorthands for the detector tests: each built-in detector with its default context words.</summary>
internal static class Detect
{
    public static IEntityDetector Family(string family) =>
        PiiDetectorSet.Create(new PiiDetectorOptions { Families = [family] }).Detectors.Single();

    /// <summary>The texts of the matches at or above the detection threshold.</summary>
    public static string[] Strong(IEntityDetector detector, string text) =>
        detector.Find(text).Where(m => m.Score >= DetectorScores.DetectionThreshold).Select(m => text.Substring(m.Start, m.Length)).ToArray();

    public static EntityMatch Single(IEntityDetector detector, string text) => Assert.Single(detector.Find(text));
}
