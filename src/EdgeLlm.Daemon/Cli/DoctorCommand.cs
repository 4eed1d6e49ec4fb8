using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm doctor</c>: what this machine can compute on, with the same settings the daemon would use:
/// the llama.cpp natives (built for the machine, or LLamaSharp's own and why) with the CPU variant ggml chose,
/// ggml's backends and devices with their memory, the CPU's features, the configured backend modules
/// (each missing library named), and whether layers can go to a GPU. Exits 1 when the configured natives
/// folder or a configured module fails.
/// </summary>
internal static class DoctorCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command Create(Option<string> dataDirectory)
    {
        var config = new Option<string?>("--config") { Description = "JSON settings file, as for 'serve'." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "List the llama.cpp natives and CPU variant in use, ggml backends and devices, CPU features and GPU offload, loading the configured backend modules. Any '--Section:Key value' pair sets that setting.")
        {
            config,
            json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var arguments = new ServeArguments(parse.GetValue(dataDirectory), null, null, parse.GetValue(config), parse.UnmatchedTokens.ToList());
            return Run(arguments, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(ServeArguments arguments, bool json)
    {
        InferenceOptions settings;
        try
        {
            var configuration = SettingsSources.Load(arguments);
            settings = configuration.GetSection(InferenceOptions.SectionName).Get<InferenceOptions>() ?? new InferenceOptions();
        }
        catch (InvalidSettingsException ex)
        {
            Console.Error.WriteLine("edgellm: invalid settings:\n  " + string.Join("\n  ", ex.Failures));
            return 2;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine("edgellm: cannot read settings: " + ex.Message);
            return 2;
        }

        var registry = new GgmlBackendRegistry(Options.Create(settings), NullLoggerFactory.Instance);
        var natives = registry.Natives();
        if (natives.Failed)
        {
            Console.Out.Write(json ? JsonSerializer.Serialize(new { natives_error = natives.ErrorCode, natives.Message }, Json) + "\n" : DoctorReport.RenderRefused(natives));
            return 1;
        }

        var inventory = registry.Inventory();
        Console.Out.Write(json ? JsonSerializer.Serialize(inventory, Json) + "\n" : DoctorReport.Render(inventory));
        return inventory.Modules.All(m => m.Loaded) ? 0 : 1;
    }
}
