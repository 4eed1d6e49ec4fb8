namespace EdgeLlm.Inference.Models;

/// <summary>Where a served model is in its life: in memory, on its way, out of memory, or failed to load.</summary>
public enum ModelState
{
    Unloaded,
    Loading,
    Loaded,
    Failed,
}

/// <summary>
/// One model name this daemon serves, in memory or not: the version (file and settings) a load uses, its load policy,
/// its footprint estimate and its state. Its fields change only under <see cref="ModelRegistry"/>'s gate.
/// </summary>
public sealed class ModelSlot
{
    internal ModelSlot(ModelOptions version, EffectiveModelSettings settings, ModelLoadPolicy policy, TimeSpan keepAlive, ModelFootprint footprint, ModelPlacement placement)
    {
        Version = version;
        Settings = settings;
        Policy = policy;
        KeepAlive = keepAlive;
        Footprint = footprint;
        Placement = placement;
    }

    /// <summary>The name clients put in <c>model</c>.</summary>
    public string Name => Version.EffectiveName;

    public IReadOnlyList<string> Aliases => Version.Aliases;

    /// <summary>The file and settings the next load uses (an update's switch moves it to the new version).</summary>
    public ModelOptions Version { get; internal set; }

    public EffectiveModelSettings Settings { get; internal set; }

    public ModelLoadPolicy Policy { get; }

    /// <summary>How long an on-demand model stays loaded without requests, as the operator configured it.</summary>
    public TimeSpan KeepAlive { get; }

    /// <summary>The keep-alive the last request asked for (Ollama's <c>keep_alive</c>), never above <see cref="KeepAlive"/>; null: none asked.</summary>
    internal TimeSpan? RequestedKeepAlive { get; set; }

    /// <summary>How long this on-demand model stays loaded without requests now: what the last request asked for, else <see cref="KeepAlive"/>.</summary>
    public TimeSpan EffectiveKeepAlive => RequestedKeepAlive ?? KeepAlive;

    /// <summary>The estimate from the GGUF header, checked against the budget before a load.</summary>
    public ModelFootprint Footprint { get; internal set; }

    /// <summary>The footprint's share of host memory and of a GPU.</summary>
    public ModelPlacement Placement { get; internal set; }

    public ModelState State { get; internal set; }

    /// <summary>The model in memory, when <see cref="State"/> is <see cref="ModelState.Loaded"/>.</summary>
    public LoadedModel? Loaded { get; internal set; }

    /// <summary>When a request last took or released this model, or it was seen busy; null before the first.</summary>
    internal DateTimeOffset? LeasedAt { get; set; }

    /// <summary>The stable code and message of the last failed load, while <see cref="State"/> is <see cref="ModelState.Failed"/>.</summary>
    public (string Code, string Message)? Failure { get; internal set; }

    internal DateTimeOffset? FailedAt { get; set; }

    /// <summary>The load in progress, shared by every request that waits for it.</summary>
    internal Task<LoadedModel?>? Loading { get; set; }

    /// <summary>Requests that hold this model between finding it and handing it their work; a model with leases is never evicted.</summary>
    internal int Leases { get; set; }

    /// <summary>Loaded, not leased, and nothing running or waiting on its scheduler.</summary>
    internal bool IsIdle => Leases == 0 && Loaded?.Scheduler.Snapshot is { Active: 0, Waiting: 0 };

    /// <summary>When a request last used it (the later of its leases and its scheduler's last admission); null before the first.</summary>
    public DateTimeOffset? LastUsed => (LeasedAt, Loaded?.LastUsed) switch
    {
        ({ } a, { } b) => a > b ? a : b,
        (var a, var b) => a ?? b,
    };
}
