namespace EdgeLlm.Updates.Install;

/// <summary>Where updates live under the data directory.</summary>
public sealed class UpdatePaths(string dataDirectory)
{
    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public string StateDatabase => Path.Combine(DataDirectory, "state.db");

    /// <summary>The drop folder: bundles copied here are installed.</summary>
    public string Incoming => Path.Combine(DataDirectory, "incoming");

    /// <summary>Bundles from <see cref="Incoming"/> that were refused, each with a <c>.reason.txt</c>.</summary>
    public string Rejected => Path.Combine(Incoming, "rejected");

    public string Staging => Path.Combine(DataDirectory, "staging");

    public string Models => Path.Combine(DataDirectory, "models");

    public string Configs => Path.Combine(DataDirectory, "configs");

    /// <summary><c>models/&lt;name&gt;/&lt;version&gt;</c> or <c>configs/&lt;name&gt;/&lt;version&gt;</c>.</summary>
    public string VersionDirectory(string kind, string name, string version) =>
        Path.Combine(kind == "model" ? Models : Configs, name, version);
}
