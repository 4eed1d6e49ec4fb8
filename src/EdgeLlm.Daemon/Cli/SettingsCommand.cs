using System.Collections;
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Xml.Linq;
using EdgeLlm.Api;
using EdgeLlm.Inference;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm settings</c>: every setting with its default and description, as a Markdown table.
/// Read from the options classes and their XML docs, so the list cannot drift from the code.
/// </summary>
internal static class SettingsCommand
{
    public static Command Create()
    {
        var command = new Command("settings", "List every setting with its default (environment: EDGELLM__Section__Key).");
        command.SetAction(_ =>
        {
            Console.Out.Write(Render());
            return 0;
        });
        return command;
    }

    internal static string Render()
    {
        var rows = new List<(string Key, string Default, string Description)>();
        foreach (var (section, options) in Sections())
        {
            Collect(section, options, rows);
        }

        var text = new System.Text.StringBuilder("| setting | default | description |\n| --- | --- | --- |\n");
        foreach (var (key, value, description) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{key}` | {value} | {description} |\n");
        }

        return text.ToString();
    }

    private static IEnumerable<(string Section, object Options)> Sections() =>
    [
        (DaemonOptions.SectionName, new DaemonOptions()),
        (ApiOptions.SectionName, new ApiOptions()),
        (Api.Authentication.ApiKeyAuthenticationOptions.SectionName, new Api.Authentication.ApiKeyAuthenticationOptions()),
        (InferenceOptions.SectionName, new InferenceOptions()),
        (EdgeLlm.Retrieval.RetrievalOptions.SectionName, new EdgeLlm.Retrieval.RetrievalOptions()),
        (EdgeLlm.Updates.UpdatesOptions.SectionName, new EdgeLlm.Updates.UpdatesOptions()),
        (EdgeLlm.Telemetry.TelemetryOptions.SectionName, new EdgeLlm.Telemetry.TelemetryOptions()),
        (InferenceOptions.SectionName + ":Models:N", new ModelOptions()),
    ];

    private static void Collect(string section, object options, List<(string, string, string)> rows)
    {
        var type = options.GetType();
        var docs = LoadDocs(type.Assembly);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.CanWrite))
        {
            var value = property.GetValue(options);
            var shown = value switch
            {
                null => "(none)",
                string s when s.Length == 0 => "(empty)",
                IList list when list.Count == 0 => "(empty list)",
                IList list => string.Join(", ", list.Cast<object>()),
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            var summary = docs.GetValueOrDefault($"P:{type.FullName}.{property.Name}") ?? "";
            rows.Add(($"{section}:{property.Name}", $"`{shown}`", summary));
        }
    }

    private static Dictionary<string, string> LoadDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            return [];
        }

        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(
                m => m.Attribute("name")!.Value,
                m => string.Join(" ", string.Concat(m.Element("summary")!.Nodes().Select(NodeText)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    private static string NodeText(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "c" } code => "`" + code.Value + "`",
        XElement { Name.LocalName: "see" } see => (see.Attribute("cref")?.Value.Split('.').Last() ?? see.Value),
        XElement element => element.Value,
        _ => "",
    };
}
