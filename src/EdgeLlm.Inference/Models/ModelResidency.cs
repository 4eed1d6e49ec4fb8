using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Keeps the models in memory within the memory budget: pinned ones from start, on-demand ones from their first
/// request until their keep-alive runs out or another model needs the room (least recently used evicted first, only
/// when idle). Concurrent requests for an unloaded model share one load; a request waits for it within its own
/// deadline, and is refused with a retry time when the model cannot fit or failed to load.
/// </summary>
public sealed partial class ModelResidency : IDisposable
{
    /// <summary>After a failed load, requests are refused this long before the next try, so a broken file is not reloaded per request.</summary>
    internal static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    private readonly ModelRegistry _registry;
    private readonly ModelLoader _loader;
    private readonly IOptions<InferenceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelResidency> _logger;
    private readonly SemaphoreSlim _loads = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    private readonly Versions.CandidateModels? _candidates;

    internal ModelResidency(ModelRegistry registry, ModelLoader loader, IOptions<InferenceOptions> options, TimeProvider time, ILogger<ModelResidency> logger, Versions.CandidateModels? candidates = null)
    {
        _candidates = candidates;
        _registry = registry;
        _loader = loader;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The budget the loads are held to; set at start once the devices are known.</summary>
    public MemoryBudget Budget { get; private set; } = new(long.MaxValue, []);

    private bool _gpuPresent;

    /// <summary>Sets the budget from the devices found at start.</summary>
    internal void Configure(MemoryBudget budget, bool gpuPresent)
    {
        Budget = budget;
        _gpuPresent = gpuPresent;
        ResidencyLog.Budget(_logger, budget.HostBytes, string.Join(", ", budget.GpuBytes));
    }

    /// <summary>Adds a served model, checked and estimated but not loaded.</summary>
    /// <exception cref="ModelLoadException">Its file cannot be served.</exception>
    internal ModelSlot Register(ModelOptions version)
    {
        var (settings, footprint) = _loader.Inspect(version);
        var global = _options.Value;
        var policy = ModelLoadPolicies.Parse(version.LoadPolicy) ?? ModelLoadPolicy.Pinned;
        var slot = new ModelSlot(version, settings, policy, version.KeepAlive ?? global.KeepAlive, footprint, footprint.Place(settings.GpuLayers, _gpuPresent, global.MainGpu));
        _registry.Add(slot);
        return slot;
    }

    /// <summary>
    /// Refuses a portfolio that can never be served: the pinned models together, or any on-demand one beside them,
    /// over the budget. Checked at start, so a request never finds out.
    /// </summary>
    /// <exception cref="ModelLoadException">Which model does not fit, and by how much.</exception>
    internal void CheckBudget()
    {
        var pinned = _registry.Slots.Where(s => s.Policy == ModelLoadPolicy.Pinned).ToList();
        foreach (var slot in _registry.Slots)
        {
            var together = slot.Policy == ModelLoadPolicy.Pinned ? pinned : [.. pinned, slot];
            if (!Fits(together.Select(s => s.Placement)))
            {
                throw new ModelLoadException(
                    slot.Name,
                    "memory_budget_exceeded",
                    $"Model '{slot.Name}' needs about {slot.Footprint.TotalBytes} bytes; with the pinned models ({string.Join(", ", pinned.Select(s => s.Name))}) that exceeds the memory budget (host {Budget.HostBytes} bytes, Inference:MemoryBudgetBytes; per GPU Inference:GpuMemoryBudgetBytes).");
            }
        }
    }

    /// <summary>Loads a pinned model at start (or the first load of any model), counted against the budget.</summary>
    internal async Task<LoadedModel> LoadAsync(ModelSlot slot, CancellationToken cancellationToken)
    {
        Task<LoadedModel?> loading;
        lock (_registry.Gate)
        {
            slot.State = ModelState.Loading;
            loading = slot.Loading = LoadInBackground(slot, []);
            _registry.Publish();
        }

        return await loading.WaitAsync(cancellationToken) ?? throw new ModelLoadException(slot.Name, slot.Failure?.Code ?? "load_failed", slot.Failure?.Message ?? "The model did not load.");
    }

    /// <summary>
    /// The named (or default) model in memory, loading it first when it is not, within <paramref name="cancellationToken"/>
    /// (the request's deadline). Dispose the lease once the request's work is queued on the model's scheduler.
    /// </summary>
    public async Task<ModelAcquisition> AcquireAsync(string? name, CancellationToken cancellationToken)
    {
        if (_registry.FindSlot(name) is not { } slot)
        {
            return new ModelAcquisition.NotFound();
        }

        while (true)
        {
            Task<LoadedModel?> loading;
            lock (_registry.Gate)
            {
                var now = _time.GetUtcNow();
                if (slot is { State: ModelState.Loaded, Loaded: { } model })
                {
                    slot.Leases++;
                    slot.LeasedAt = now;
                    return new ModelAcquisition.Ready(new ModelLease(this, slot, model));
                }

                if (!_registry.Slots.Contains(slot))
                {
                    return new ModelAcquisition.NotFound();
                }

                if (slot is { State: ModelState.Failed, FailedAt: { } failedAt } && now - failedAt < FailureBackoff)
                {
                    return new ModelAcquisition.NotReady($"Model '{slot.Name}' failed to load ({slot.Failure?.Code}).", FailureBackoff - (now - failedAt));
                }

                if (slot.Loading is null && StartLoad(slot) is { } refusal)
                {
                    return refusal;
                }

                loading = slot.Loading!;
            }

            await loading.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Unloads every on-demand model idle for its keep-alive; a model seen busy counts as used now.</summary>
    internal IReadOnlyList<LoadedModel> TakeIdle()
    {
        var now = _time.GetUtcNow();
        var taken = new List<LoadedModel>();
        lock (_registry.Gate)
        {
            foreach (var slot in _registry.Slots.Where(s => s is { Policy: ModelLoadPolicy.OnDemand, State: ModelState.Loaded }))
            {
                if (!slot.IsIdle)
                {
                    slot.LeasedAt = now;
                }
                else if (now - (slot.LastUsed ?? slot.Loaded!.LoadedAt) >= slot.EffectiveKeepAlive && _registry.Unload(slot, ModelState.Unloaded) is { } model)
                {
                    ResidencyLog.IdleUnloaded(_logger, slot.Name, slot.EffectiveKeepAlive);
                    InferenceMetrics.Evicted(slot.Name, "idle");
                    taken.Add(model);
                }
            }
        }

        return taken;
    }

    /// <summary>Lets in-flight work finish (there is none on an idle model), then frees the model's memory.</summary>
    internal Task RetireAsync(LoadedModel model) => model.RetireAsync(_options.Value.RequestTimeout);

    internal void Release(ModelSlot slot)
    {
        lock (_registry.Gate)
        {
            slot.Leases--;
            slot.LeasedAt = _time.GetUtcNow();
        }
    }

    /// <summary>Under the gate: starts <paramref name="slot"/>'s load, evicting idle on-demand models as needed; or says why it cannot.</summary>
    private ModelAcquisition.NotReady? StartLoad(ModelSlot slot)
    {
        var others = _registry.Slots.Where(s => s != slot && s.State is ModelState.Loaded or ModelState.Loading).ToList();
        var victims = new List<ModelSlot>();
        foreach (var candidate in others.Where(s => s is { Policy: ModelLoadPolicy.OnDemand, State: ModelState.Loaded, IsIdle: true }).OrderBy(s => s.LastUsed ?? DateTimeOffset.MinValue))
        {
            if (Fits(others.Except(victims).Select(s => s.Placement).Append(slot.Placement)))
            {
                break;
            }

            victims.Add(candidate);
        }

        if (!Fits(others.Except(victims).Select(s => s.Placement).Append(slot.Placement)))
        {
            var busy = others.Where(s => s.Policy == ModelLoadPolicy.OnDemand && s.Loaded is not null).Select(s => s.Loaded!.Scheduler.RetryAfterHint()).DefaultIfEmpty(TimeSpan.FromSeconds(5)).Min();
            ResidencyLog.NoRoom(_logger, slot.Name, slot.Footprint.TotalBytes);
            InferenceMetrics.Refused("no_memory");
            return new ModelAcquisition.NotReady(
                $"Model '{slot.Name}' is not loaded and does not fit in the memory budget beside the models in use now.", TimeSpan.FromSeconds(Math.Clamp(busy.TotalSeconds, 1, 60)));
        }

        var evicted = new List<LoadedModel>();
        foreach (var victim in victims)
        {
            if (_registry.Unload(victim, ModelState.Unloaded) is { } model)
            {
                ResidencyLog.Evicted(_logger, victim.Name, slot.Name);
                InferenceMetrics.Evicted(victim.Name, "budget");
                evicted.Add(model);
            }
        }

        slot.State = ModelState.Loading;
        slot.Loading = LoadInBackground(slot, evicted);
        _registry.Publish();
        return null;
    }

    /// <summary>
    /// Null when <paramref name="version"/> fits beside the models in memory now (loaded, loading, and canary candidates),
    /// else why not: a candidate is loaded beside its active version and must not push the device past its budget.
    /// </summary>
    /// <exception cref="ModelLoadException">The version's file cannot be served.</exception>
    internal string? RoomFor(ModelOptions version)
    {
        var (settings, footprint) = _loader.Inspect(version);
        var placement = footprint.Place(settings.GpuLayers, _gpuPresent, _options.Value.MainGpu);
        lock (_registry.Gate)
        {
            var held = _registry.Slots.Where(s => s.State is ModelState.Loaded or ModelState.Loading).Select(s => s.Placement);
            return Fits(held.Append(placement))
                ? null
                : $"Model '{version.EffectiveName}' from {Path.GetFileName(version.Path)} needs about {footprint.TotalBytes} bytes, which beside the models in memory exceeds the memory budget (host {Budget.HostBytes} bytes).";
        }
    }

    private bool Fits(IEnumerable<ModelPlacement> placements)
    {
        // Candidates loaded beside their active versions hold memory too.
        var options = _options.Value;
        var list = placements.Concat((_candidates?.All ?? []).Select(c => c.Footprint.Place(c.Settings.GpuLayers, _gpuPresent, options.MainGpu))).ToList();
        return list.Sum(p => p.HostBytes) <= Budget.HostBytes
            && list.Where(p => p.GpuBytes > 0).GroupBy(p => p.Gpu).All(g => g.Sum(p => p.GpuBytes) <= Budget.Gpu(g.Key));
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _loads.Dispose();
    }
}
