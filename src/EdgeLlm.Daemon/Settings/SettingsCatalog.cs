using System.Collections;
using System.Reflection;
using EdgeLlm.Api;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Guardrails;
using EdgeLlm.Inference;
using EdgeLlm.Retrieval;
using EdgeLlm.Routing;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates;
using EdgeLlm.WebConsole;

namespace EdgeLlm.Daemon.Settings;

/// <summary>One setting: its key (<c>N</c> stands for a list index), the options property behind it and its default.</summary>
internal sealed record Setting(string Key, PropertyInfo Property, object? Default);

/// <summary>
/// Every setting the daemon reads, found in the options classes themselves: the table <c>edgellm settings</c> prints
/// and the list a settings source is checked against, so neither can drift from what the code binds.
/// </summary>
internal static class SettingsCatalog
{
    /// <summary>The index segment of a list setting, as the table shows it.</summary>
    public const string Index = "N";

    private static readonly Lazy<IReadOnlyList<Setting>> Catalog = new(Build);

    /// <summary>Each section and the options class bound to it.</summary>
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (DaemonOptions.SectionName, typeof(DaemonOptions)),
        (ApiOptions.SectionName, typeof(ApiOptions)),
        (ApiKeyAuthenticationOptions.SectionName, typeof(ApiKeyAuthenticationOptions)),
        (InferenceOptions.SectionName, typeof(InferenceOptions)),
        (RetrievalOptions.SectionName, typeof(RetrievalOptions)),
        (RoutingOptions.SectionName, typeof(RoutingOptions)),
        (GuardrailsOptions.SectionName, typeof(GuardrailsOptions)),
        (UpdatesOptions.SectionName, typeof(UpdatesOptions)),
        (TelemetryOptions.SectionName, typeof(TelemetryOptions)),
        (WebConsoleOptions.SectionName, typeof(WebConsoleOptions)),
    ];

    public static IReadOnlyList<Setting> All => Catalog.Value;

    private static List<Setting> Build()
    {
        var settings = new List<Setting>();
        foreach (var (section, options) in Sections)
        {
            Collect(section, options, settings);
        }

        return settings;
    }

    private static void Collect(string prefix, Type options, List<Setting> settings)
    {
        var defaults = Activator.CreateInstance(options);
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = $"{prefix}:{property.Name}";
            settings.Add(new Setting(key, property, property.GetValue(defaults)));
            if (ListElement(property.PropertyType) is { } element && !IsScalar(element))
            {
                Collect($"{key}:{Index}", element, settings);
            }
        }
    }

    /// <summary>The element type when <paramref name="type"/> is a list the binder fills by index.</summary>
    public static Type? ListElement(Type type) =>
        type.IsArray ? type.GetElementType()
        : type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    private static bool IsScalar(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain.IsPrimitive || plain.IsEnum || plain == typeof(string) || plain == typeof(decimal) || plain == typeof(TimeSpan)
            || plain == typeof(Uri) || plain == typeof(DateTimeOffset) || plain == typeof(DateTime) || plain == typeof(Guid);
    }
}
