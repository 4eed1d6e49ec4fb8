using System.Text.Json.Nodes;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary>The files in the repository's <c>observability/</c> folder, read from the checkout the tests run in.</summary>
internal static class ObservabilityFiles
{
    public static string Folder { get; } = Path.Combine(TestModels.RepositoryRoot, "observability");

    public static string Dashboard => Path.Combine(Folder, "edgellm-dashboard.json");

    public static string AlertRules => Path.Combine(Folder, "edgellm-alerts.yml");

    public static string AlertRuleTests => Path.Combine(Folder, "edgellm-alerts.test.yml");

    public static JsonObject ReadDashboard() => JsonNode.Parse(File.ReadAllText(Dashboard))!.AsObject();

    /// <summary>The dashboard's panels, rows left out (a row holds panels but queries nothing).</summary>
    public static IReadOnlyList<JsonObject> Panels(JsonObject dashboard) =>
        [.. dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["type"] != "row")];

    /// <summary>Every PromQL expression of the dashboard: each panel target's and each template variable's query.</summary>
    public static IEnumerable<(string Where, string Expression)> DashboardExpressions()
    {
        var dashboard = ReadDashboard();
        foreach (var panel in Panels(dashboard))
        {
            foreach (var target in panel["targets"]!.AsArray())
            {
                yield return ($"panel '{panel["title"]}' {target!["refId"]}", (string)target["expr"]!);
            }
        }

        foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
        {
            // label_values(metric, label) is Grafana's, not PromQL: its first argument is the metric it reads.
            var query = (string)variable!["query"]!["query"]!;
            var metric = query.StartsWith("label_values(", StringComparison.Ordinal) ? query["label_values(".Length..query.IndexOf(',', StringComparison.Ordinal)] : query;
            yield return ($"variable '{variable["name"]}'", metric.Trim());
        }
    }

    public static IEnumerable<(string Where, string Expression)> AlertExpressions() =>
        AlertRuleFile.Read(AlertRules).Select(r => ($"alert {r.Alert}", r.Expression));
}
