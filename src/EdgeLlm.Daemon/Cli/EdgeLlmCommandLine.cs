using System.CommandLine;

namespace EdgeLlm.Daemon.Cli;

/// <summary>The <c>edgellm</c> command line: serve, keys, settings, doctor, health, ingest, bundle, channel, import, probe.</summary>
internal static class EdgeLlmCommandLine
{
    public static RootCommand Create()
    {
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "The daemon's data directory (setting Daemon:DataDirectory; default /var/lib/edgellm).",
            Recursive = true,
        };
        var root = new RootCommand("EdgeLlm: an OpenAI-compatible LLM appliance daemon for local GGUF models.")
        {
            dataDirectory,
            ServeCommand.Create(dataDirectory),
            KeysCommand.Create(dataDirectory),
            SettingsCommand.Create(),
            DoctorCommand.Create(dataDirectory),
            HealthCommand.Create(dataDirectory),
            IngestCommand.Create(),
            BundleCommand.Create(),
            ChannelCommand.Create(),
            ImportCommand.Create(dataDirectory),
            ProbeCommand.Create(),
        };
        return root;
    }
}
