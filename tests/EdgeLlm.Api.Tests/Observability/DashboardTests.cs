using System.Text;
using System.Text.Json.Nodes;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary><c>observability/edgellm-dashboard.json</c>: importable anywhere, every panel complete, every area the issue names shown.</summary>
public sealed class DashboardTests
{
    /// <summary>The areas the issue names, each with the titles of the panels that show it.</summary>
    private static readonly Dictionary<string, string[]> Areas = new()
    {
        ["requests and errors by route"] = ["Requests by route", "Errors by route"],
        ["time to first token and inter-token latency percentiles"] = ["Time to first token", "Inter-token latency"],
        ["tokens/s"] = ["Tokens per second"],
        ["queue depth and rejections"] = ["Queue depth and active sequences", "Rejections"],
        ["models loaded and memory"] = ["Models loaded", "Models loaded and memory"],
        ["retrieval latency"] = ["Retrieval latency"],
        ["outbox backlog and drops"] = ["Outbox backlog", "Outbox drops"],
        ["uplink state"] = ["Uplink state", "Uplink"],
        ["update events"] = ["Update events", "Update feed state"],
    };

    [Fact]
    public void TheDataSourceIsAnImportInputSoTheDashboardImportsIntoAnyGrafana()
    {
        var dashboard = ObservabilityFiles.ReadDashboard();

        var input = Assert.Single(dashboard["__inputs"]!.AsArray());
        Assert.Equal("DS_PROMETHEUS", (string?)input!["name"]);
        Assert.Equal("prometheus", (string?)input["pluginId"]);
        foreach (var source in DataSources(dashboard))
        {
            // Grafana's own annotation source is the one reference that is not the Prometheus input.
            Assert.True((string?)source["type"] == "grafana" || (string?)source["uid"] == "${DS_PROMETHEUS}", source.ToJsonString());
        }
    }

    [Fact]
    public void AnInstanceVariableChoosesTheAppliancesAndEveryQueryHonoursIt()
    {
        var dashboard = ObservabilityFiles.ReadDashboard();

        var instance = Assert.Single(dashboard["templating"]!["list"]!.AsArray(), v => (string?)v!["name"] == "instance")!;
        Assert.Equal("query", (string?)instance["type"]);
        Assert.Equal("${DS_PROMETHEUS}", (string?)instance["datasource"]!["uid"]);
        foreach (var (where, expression) in ObservabilityFiles.DashboardExpressions().Where(e => e.Where.StartsWith("panel", StringComparison.Ordinal)))
        {
            Assert.True(expression.Contains("instance=~\"$instance\"", StringComparison.Ordinal), $"{where} ignores $instance: {expression}");
        }
    }

    [Fact]
    public void EveryPanelHasATitleADataSourceAndAQuery()
    {
        var panels = ObservabilityFiles.Panels(ObservabilityFiles.ReadDashboard());

        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        foreach (var panel in panels)
        {
            var title = (string?)panel["title"];
            Assert.False(string.IsNullOrWhiteSpace(title), $"panel {panel["id"]} has no title");
            Assert.Equal("${DS_PROMETHEUS}", (string?)panel["datasource"]?["uid"]);
            var targets = panel["targets"]?.AsArray() ?? [];
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace((string?)t!["expr"]), $"panel '{title}' has an empty query"));
            Assert.NotNull(panel["gridPos"]);
        }
    }

    [Fact]
    public void EveryAreaTheIssueNamesHasItsPanels()
    {
        var titles = ObservabilityFiles.Panels(ObservabilityFiles.ReadDashboard()).Select(p => (string)p["title"]!).ToHashSet(StringComparer.Ordinal);

        foreach (var (area, panels) in Areas)
        {
            Assert.True(panels.All(titles.Contains), $"the dashboard does not show {area}: missing {string.Join(", ", panels.Where(p => !titles.Contains(p)))}");
        }
    }

    [Fact]
    public async Task EveryQueryIsPromQlThatPromtoolAccepts()
    {
        // Grafana's variables are replaced as Grafana would before it sends a query.
        using var directory = new TempDirectory();
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var (_, expression) in ObservabilityFiles.DashboardExpressions().Where(e => e.Where.StartsWith("panel", StringComparison.Ordinal)))
        {
            var promql = expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal);
            rules.Append("      - record: dashboard:query_").Append(i++).Append('\n');
            rules.Append("        expr: ").Append(JsonValue.Create(promql).ToJsonString()).Append('\n');
        }

        await File.WriteAllTextAsync(directory.File("dashboard.yml"), rules.ToString());
        var (exit, output) = await Promtool.RunAsync("check", "rules", directory.File("dashboard.yml"));

        Assert.True(exit == 0, output);
        Assert.Contains($"SUCCESS: {i} rules found", output, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> DataSources(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "datasource" && p.Value is JsonObject d ? [d] : DataSources(p.Value)),
        JsonArray a => a.SelectMany(DataSources),
        _ => [],
    };
}
