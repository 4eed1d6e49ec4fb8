using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// The edgellm.json provisioning wrote into a scratch root, made runnable there and changed in nothing else:
/// every absolute path under the appliance's own folders moved into the root, and the listen addresses moved
/// onto free loopback ports (a test never binds a fixed port or the LAN). The copy is written beside the
/// original, with its owner, group and mode (root:edgellm 0640, so the daemon's user reads it through its group),
/// its header listing each key it changed and how.
/// </summary>
internal sealed record ScratchRootSettings(string File, Uri Https, Uri Http, IReadOnlyList<string> Changes)
{
    public const string FileName = "edgellm.scratch-root.json";

    /// <summary>The folders provisioning fills; a path under any of them is read inside the scratch root.</summary>
    private static readonly string[] ApplianceFolders = ["/etc/edgellm", "/var/lib/edgellm", "/var/log/edgellm", "/opt/edgellm", "/opt/edgellm-supervisor"];

    /// <summary>Whether <paramref name="path"/> is one of the appliance's own, which a test reads inside the scratch root.</summary>
    public static bool IsAppliancePath(string path) =>
        ApplianceFolders.Any(folder => path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal));

    public static async Task<ScratchRootSettings> WriteAsync(string root)
    {
        var settings = Write(root);
        var original = Path.Combine(root, "etc", "edgellm", "edgellm.json");
        await Command.RunToolAsync("chown", "--reference=" + original, settings.File);
        await Command.RunToolAsync("chmod", "--reference=" + original, settings.File);
        return settings;
    }

    private static ScratchRootSettings Write(string root)
    {
        var original = Path.Combine(root, "etc", "edgellm", "edgellm.json");
        var settings = JsonNode.Parse(System.IO.File.ReadAllText(original))?.AsObject() ?? throw new InvalidDataException($"{original} holds no JSON object.");
        var changes = new List<string>();
        Remap(settings, "", root, changes);

        var https = new Uri($"https://127.0.0.1:{FreeLoopbackPort()}");
        var http = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var api = settings["Api"]!.AsObject();
        var urls = api["Urls"]!.GetValue<string>();
        var moved = string.Join(';', urls.Split(';').Select(url => new Uri(url).Scheme == Uri.UriSchemeHttps ? https : http).Select(u => u.GetLeftPart(UriPartial.Authority)));
        api["Urls"] = moved;
        changes.Add($"Api:Urls: {urls} -> {moved}");

        var text = new StringBuilder()
            .AppendLine($"// The edgellm.json provisioning wrote, for the daemon run in the scratch root {root}.")
            .AppendLine("// Changed, and nothing else: paths under the appliance's folders read inside the root, addresses on free loopback ports.")
            .AppendJoin(string.Empty, changes.Select(c => $"//   {c}{Environment.NewLine}"))
            .AppendLine(settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))
            .ToString();
        var path = Path.Combine(Path.GetDirectoryName(original)!, FileName);
        System.IO.File.WriteAllText(path, text);
        return new ScratchRootSettings(path, https, http, changes);
    }

    private static void Remap(JsonNode? node, string key, string root, List<string> changes)
    {
        switch (node)
        {
            case JsonObject section:
                foreach (var (name, child) in section.ToList())
                {
                    if (Moved(child, Join(key, name), root, changes) is { } moved)
                    {
                        section[name] = moved;
                    }
                }

                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (Moved(items[i], Join(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), root, changes) is { } moved)
                    {
                        items[i] = moved;
                    }
                }

                break;
        }
    }

    /// <summary>A path value under the appliance's folders, read inside <paramref name="root"/>; null for anything else (sections remapped in place).</summary>
    private static JsonValue? Moved(JsonNode? node, string key, string root, List<string> changes)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            if (!IsAppliancePath(text))
            {
                return null;
            }

            changes.Add($"{key}: {text} -> {root}{text}");
            return JsonValue.Create(root + text);
        }

        Remap(node, key, root, changes);
        return null;
    }

    private static string Join(string key, string name) => key.Length == 0 ? name : key + ":" + name;

    private static int FreeLoopbackPort() => EdgeLlm.Testing.LoopbackPorts.Reserve();
}
