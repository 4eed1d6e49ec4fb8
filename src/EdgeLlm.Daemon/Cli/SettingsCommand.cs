using System.Collections;
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Xml.Linq;
using EdgeLlm.Daemon.Settings;

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
        var text = new System.Text.StringBuilder("| setting | default | description |\n| --- | --- | --- |\n");
        var docs = new Dictionary<Assembly, Dictionary<string, string>>();
        foreach (var setting in SettingsCatalog.All)
        {
            var property = setting.Property;
            var assembly = property.DeclaringType!.Assembly;
            if (!docs.TryGetValue(assembly, out var summaries))
            {
                docs[assembly] = summaries = LoadDocs(assembly);
            }

            var shown = setting.Default switch
            {
                null => "(none)",
                string s when s.Length == 0 => "(empty)",
                IList list when list.Count == 0 => "(empty list)",
                IList list => string.Join(", ", list.Cast<object>()),
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => setting.Default.ToString() ?? "",
            };
            var summary = summaries.GetValueOrDefault($"P:{property.DeclaringType.FullName}.{property.Name}") ?? "";
            text.Append(CultureInfo.InvariantCulture, $"| `{setting.Key}` | `{shown}` | {summary} |\n");
        }

        return text.ToString();
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
