using EdgeLlm.Storage;

namespace EdgeLlm.Updates.Install;

/// <summary>Where updates live: the data directory's folders (from its <see cref="DataDirectoryLayout"/>) and what updates keep inside them.</summary>
public sealed class UpdatePaths(DataDirectoryLayout layout)
{
    /// <summary>The drop folder: bundles copied here are installed.</summary>
    public string Incoming => layout.Incoming;

    /// <summary>Bundles from <see cref="Incoming"/> that were refused, each with a <c>.reason.txt</c>.</summary>
    public string Rejected => Path.Combine(Incoming, "rejected");

    public string Staging => layout.Staging;

    /// <summary>Pulled artifacts kept across checks and restarts until their bundle is complete (<c>&lt;sha256&gt;.partial</c>).</summary>
    public string Downloads => Path.Combine(Staging, "downloads");

    public string Models => layout.Models;

    public string Configs => layout.Configs;

    public string Policies => layout.Policies;

    /// <summary>Daemon releases side by side: <c>releases/&lt;version&gt;/</c>, the <c>current</c> link the service starts, and the <c>pending</c> marker of a release not yet proven.</summary>
    public string Releases => layout.Releases;

    public string CurrentRelease => Path.Combine(Releases, "current");

    public string PendingRelease => Path.Combine(Releases, "pending");

    /// <summary>Left by the release guard when it went back from a release that never came up.</summary>
    public string RolledBackRelease => Path.Combine(Releases, "rolled-back");

    /// <summary><c>models/&lt;name&gt;/&lt;version&gt;</c>, <c>policies/&lt;name&gt;/&lt;version&gt;</c>, <c>configs/&lt;name&gt;/&lt;version&gt;</c> or <c>releases/&lt;version&gt;</c>.</summary>
    public string VersionDirectory(string kind, string name, string version) => kind switch
    {
        "model" => Path.Combine(Models, name, version),
        "policy" => Path.Combine(Policies, name, version),
        "daemon" => Path.Combine(Releases, version),
        _ => Path.Combine(Configs, name, version),
    };
}
