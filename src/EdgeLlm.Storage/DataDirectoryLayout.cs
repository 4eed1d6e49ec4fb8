namespace EdgeLlm.Storage;

/// <summary>
/// The one place the data directory's layout is written down: every file and folder the daemon keeps there. Each
/// part gets its paths from here (through the host's composition), so a name is never spelled twice.
/// </summary>
public sealed class DataDirectoryLayout(string root)
{
    /// <summary>The data directory itself (<c>Daemon:DataDirectory</c>, <c>--data-dir</c>).</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>LiteDB: API keys, the update journal and catalog. One owner: <see cref="StateDatabase"/>.</summary>
    public string StateDatabase => Path.Combine(Root, "state.db");

    /// <summary>SQLite: collections, documents, chunks, vectors and the full-text index.</summary>
    public string RetrievalDatabase => Path.Combine(Root, "retrieval.db");

    /// <summary>SQLite: telemetry records waiting to be sent.</summary>
    public string OutboxDatabase => Path.Combine(Root, "outbox.db");

    /// <summary>The drop folder: bundles copied here are installed.</summary>
    public string Incoming => Path.Combine(Root, "incoming");

    /// <summary>Bundles and downloads being checked before they are placed.</summary>
    public string Staging => Path.Combine(Root, "staging");

    /// <summary>Installed model versions: <c>models/&lt;name&gt;/&lt;version&gt;/</c>, never changed after activation.</summary>
    public string Models => Path.Combine(Root, "models");

    /// <summary>Installed configuration artifacts: <c>configs/&lt;bundle&gt;/&lt;version&gt;/</c>.</summary>
    public string Configs => Path.Combine(Root, "configs");

    /// <summary>Installed guardrail policy documents: <c>policies/&lt;name&gt;/&lt;version&gt;/</c>, never changed after activation.</summary>
    public string Policies => Path.Combine(Root, "policies");

    /// <summary>Daemon releases side by side, with the <c>current</c> link the service starts.</summary>
    public string Releases => Path.Combine(Root, "releases");

    /// <summary>The log folder of a self-contained (<c>--data-dir</c>) instance; an appliance logs to <c>/var/log/edgellm</c>.</summary>
    public string Logs => Path.Combine(Root, "logs");

    /// <summary>The trusted publisher keys of a self-contained instance; an appliance keeps them in <c>/etc/edgellm/trusted-keys</c>.</summary>
    public string TrustedKeys => Path.Combine(Root, "trusted-keys");

    /// <summary>The settings file of a self-contained instance; an appliance's is <c>/etc/edgellm/edgellm.json</c>.</summary>
    public string SettingsFile => Path.Combine(Root, "edgellm.json");

    /// <summary>The CA a self-contained instance's HTTPS certificate chains to (<c>edgellm health</c> trusts it); an appliance's is <c>/etc/edgellm/tls/ca.crt</c>.</summary>
    public string TlsCaCertificate => Path.Combine(Root, "tls", "ca.crt");
}
