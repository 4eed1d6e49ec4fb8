using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;
using Xunit.Abstractions;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// Precision and recall per family over the generated corpus, through the full detector set (overlaps resolved as in
/// production). A detection is a match scoring at least <see cref="DetectorScores.DetectionThreshold"/>; it is right only
/// if its family and span are exactly those planted.
/// </summary>
public sealed class CorpusMeasurementTests(ITestOutputHelper output)
{
    private const double RecallGoal = 0.98;
    private const double PrecisionGoal = 0.95;

    [Fact]
    public void EveryFamilyMeetsItsPrecisionAndRecallGoals()
    {
        var corpus = PiiCorpus.Generate();
        var detectors = PiiDetectorSet.Create(new PiiDetectorOptions { CustomPatterns = [PiiCorpus.EmployeeId] });
        var counts = PiiCorpus.Families.ToDictionary(f => f, _ => new Counts());
        foreach (var item in corpus)
        {
            var found = detectors.Find(item.Text).Where(m => m.Score >= DetectorScores.DetectionThreshold).ToList();
            foreach (var match in found)
            {
                var right = item.Entities.Any(e => e.Family == match.Family && e.Start == match.Start && e.Length == match.Length);
                if (right)
                {
                    counts[match.Family].TruePositives++;
                }
                else
                {
                    counts[match.Family].FalsePositives++;
                    counts[match.Family].Examples.Add($"FP {match.Family} '{item.Text.Substring(match.Start, match.Length)}' in {item.Text}");
                }
            }

            foreach (var entity in item.Entities.Where(e => !found.Any(m => m.Family == e.Family && m.Start == e.Start && m.Length == e.Length)))
            {
                counts[entity.Family].FalseNegatives++;
                counts[entity.Family].Examples.Add($"FN {entity.Family} '{item.Text.Substring(entity.Start, entity.Length)}' in {item.Text}");
            }
        }

        output.WriteLine($"{corpus.Count} items, {corpus.Sum(i => i.Text.Length)} characters");
        output.WriteLine($"{"family",-20} {"planted",8} {"tp",6} {"fp",6} {"fn",6} {"precision",10} {"recall",8}");
        foreach (var (family, c) in counts)
        {
            output.WriteLine($"{family,-20} {c.TruePositives + c.FalseNegatives,8} {c.TruePositives,6} {c.FalsePositives,6} {c.FalseNegatives,6} {c.Precision,10:F4} {c.Recall,8:F4}");
            foreach (var example in c.Examples.Take(5))
            {
                output.WriteLine("  " + example.ReplaceLineEndings(" "));
            }
        }

        Assert.All(counts, pair =>
        {
            Assert.True(pair.Value.TruePositives + pair.Value.FalseNegatives >= PiiCorpus.PositivesPerFamily, $"{pair.Key}: too few planted");
            Assert.True(pair.Value.Recall >= RecallGoal, $"{pair.Key}: recall {pair.Value.Recall:F4} < {RecallGoal}");
            Assert.True(pair.Value.Precision >= PrecisionGoal, $"{pair.Key}: precision {pair.Value.Precision:F4} < {PrecisionGoal}");
        });
    }

    private sealed class Counts
    {
        public int TruePositives { get; set; }
        public int FalsePositives { get; set; }
        public int FalseNegatives { get; set; }
        public List<string> Examples { get; } = [];
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
        public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    }
}
