using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary><c>observability/edgellm-alerts.yml</c>: valid for Prometheus, tested with promtool, and each alert complete.</summary>
public sealed partial class AlertRulesTests
{
    /// <summary>What the issue asks the rules to watch, by alert name.</summary>
    private static readonly string[] Required =
    [
        "EdgeLlmDown", "EdgeLlmNotReady", "EdgeLlmQueueSaturated", "EdgeLlmHighErrorRate", "EdgeLlmOutboxGrowing",
        "EdgeLlmOutboxDropping", "EdgeLlmUpdateFailed", "EdgeLlmUpdateFeedStale", "EdgeLlmDiskAlmostFull", "EdgeLlmDiskFull",
    ];

    private static readonly string[] Severities = ["critical", "warning", "info"];

    [Fact]
    public async Task TheRulesPassPromtoolCheckRulesWhichCountsAsManyAsTheTestsRead()
    {
        var (exit, output) = await Promtool.RunAsync("check", "rules", ObservabilityFiles.AlertRules);

        Assert.True(exit == 0, output);
        var found = RulesFound().Match(output);
        Assert.True(found.Success, output);
        Assert.Equal(AlertRuleFile.Read(ObservabilityFiles.AlertRules).Count, int.Parse(found.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheAlertsFireAsTheirUnitTestsExpect()
    {
        var (exit, output) = await Promtool.RunAsync("test", "rules", ObservabilityFiles.AlertRuleTests);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolRefusesARuleWithABrokenExpression()
    {
        using var directory = new TempDirectory();
        var broken = directory.File("broken.yml");
        await File.WriteAllTextAsync(broken, """
            groups:
              - name: broken
                rules:
                  - alert: Broken
                    expr: sum by (instance (rate(edgellm_inference_rejected_total[5m]))
            """);

        var (exit, _) = await Promtool.RunAsync("check", "rules", broken);

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public void EveryAreaTheIssueNamesHasItsAlert() =>
        Assert.Empty(Required.Except(AlertRuleFile.Read(ObservabilityFiles.AlertRules).Select(r => r.Alert)));

    [Fact]
    public void EveryAlertWaitsBeforeFiringAndCarriesASeverityASummaryAndWhatToDo()
    {
        foreach (var rule in AlertRuleFile.Read(ObservabilityFiles.AlertRules))
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Expression), rule.Alert);
            Assert.True(rule.For is not null && DurationPattern().IsMatch(rule.For), $"{rule.Alert} has no for: duration");
            Assert.Contains(rule.Labels.GetValueOrDefault("severity"), Severities);
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Alert} has no summary");
            Assert.True(rule.Annotations.GetValueOrDefault("description") is { Length: > 120 }, $"{rule.Alert}'s description says too little of what to do");
        }
    }

    [GeneratedRegex(@"SUCCESS: (\d+) rules found")]
    private static partial Regex RulesFound();

    [GeneratedRegex(@"^\d+[smhd]$")]
    private static partial Regex DurationPattern();
}
