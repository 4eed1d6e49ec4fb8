using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Settings;

/// <summary>
/// The JSON settings file. Unlike the stock JSON source, a <c>null</c> (or an empty object or list) leaves the
/// setting at its default instead of setting it to an empty string, so a generated file may spell out what it
/// does not set; and the file is read as hostile: a size cap, one value per key, an object at the top.
/// </summary>
internal sealed class SettingsFileSource : FileConfigurationSource
{
    /// <summary>Far above any real settings file; a larger one is a mistake or an attack, not configuration.</summary>
    public const long MaxBytes = 1 << 20;

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new SettingsFileProvider(this);
    }
}

internal sealed class SettingsFileProvider(SettingsFileSource source) : FileConfigurationProvider(source)
{
    private static readonly JsonDocumentOptions Json = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 };

    /// <summary>The file, as the operator named it, for messages.</summary>
    public string FilePath => Source.FileProvider?.GetFileInfo(Source.Path ?? "").PhysicalPath ?? Source.Path ?? "";

    public override void Load(Stream stream)
    {
        using var limited = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (limited.Length + read > SettingsFileSource.MaxBytes)
            {
                throw new FormatException($"it is larger than {SettingsFileSource.MaxBytes / 1024} KiB.");
            }

            limited.Write(buffer, 0, read);
        }

        using var document = JsonDocument.Parse(limited.ToArray(), Json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("its top level must be a JSON object of sections.");
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(document.RootElement, null, data);
        Data = data;
    }

    private static void Flatten(JsonElement element, string? path, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, Join(path, property.Name), data);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, Join(path, index++.ToString(CultureInfo.InvariantCulture)), data);
                }

                break;
            case JsonValueKind.Null:
                break;
            default:
                if (!data.TryAdd(path!, element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()))
                {
                    throw new FormatException($"{path} is given twice.");
                }

                break;
        }
    }

    private static string Join(string? path, string key) => path is null ? key : path + ConfigurationPath.KeyDelimiter + key;
}
