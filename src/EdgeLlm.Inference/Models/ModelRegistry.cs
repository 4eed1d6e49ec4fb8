namespace EdgeLlm.Inference.Models;

/// <summary>
/// The models this daemon serves, by name: one <see cref="ModelSlot"/> per name, loaded or not, and the loaded ones
/// as <see cref="Models"/>. Ready once every pinned model answered its probe; an update replaces (or withdraws) a
/// model's entry atomically, so each request sees either the old version or the new.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<ModelSlot> _slots = [];
    private List<LoadedModel> _models = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Guards every slot's state; <see cref="ModelResidency"/> takes it for its load and eviction decisions.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>The models in memory now, in configuration order.</summary>
    public IReadOnlyList<LoadedModel> Models => Volatile.Read(ref _models);

    /// <summary>Every served model name, loaded or not, in configuration order.</summary>
    public IReadOnlyList<ModelSlot> Slots => Volatile.Read(ref _slots);

    /// <summary>True once every pinned model is loaded and answered.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the registry became ready.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes at the next change of <see cref="Models"/> or <see cref="Slots"/>.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>The files served: every loaded version and every slot's version that has not failed to load.</summary>
    public IReadOnlySet<string> ServedFiles =>
        Slots.Where(s => s.State != ModelState.Failed).Select(s => Path.GetFullPath(s.Version.Path)).Concat(Models.Select(m => m.FilePath)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Finds a loaded model by name or alias; no name means the default (see <see cref="FindSlot"/>).</summary>
    public LoadedModel? Find(string? name) => FindSlot(name)?.Loaded;

    /// <summary>
    /// Finds a served model, loaded or not, by name or alias; no name means the default: the first chat model (an
    /// embedding or guard model is never a generation default), or the first model when none is a chat model.
    /// </summary>
    public ModelSlot? FindSlot(string? name)
    {
        var slots = Slots;
        if (string.IsNullOrEmpty(name))
        {
            return slots.FirstOrDefault(s => s.Settings.Role == ModelRole.Chat) ?? slots.FirstOrDefault();
        }

        // A name wins over an alias: a model installed by an update is not checked against the configured aliases.
        return slots.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal)) ?? slots.FirstOrDefault(s => s.Aliases.Contains(name, StringComparer.Ordinal));
    }

    /// <summary>Adds a served name (start-up); its state is whatever the slot says.</summary>
    internal void Add(ModelSlot slot)
    {
        lock (Gate)
        {
            _slots = [.. _slots, slot];
            Publish();
        }
    }

    /// <summary>Serves <paramref name="model"/> under its name from now on; returns the loaded entry it replaced, if any.</summary>
    internal LoadedModel? Replace(LoadedModel model)
    {
        lock (Gate)
        {
            var slot = FindOwn(model.Name);
            if (slot is null)
            {
                var version = new ModelOptions { Name = model.Name, Path = model.FilePath, Aliases = [.. model.Aliases] };
                slot = new ModelSlot(version, model.Settings, ModelLoadPolicy.Pinned, TimeSpan.MaxValue, model.Footprint, model.Footprint.Place(0, gpuPresent: false, 0));
                _slots = [.. _slots, slot];
            }

            var previous = slot.Loaded;
            slot.Version = slot.Version.WithPath(model.FilePath);
            slot.Settings = model.Settings;
            slot.Footprint = model.Footprint;
            Loaded(slot, model);
            return previous;
        }
    }

    /// <summary>Serves nothing under <paramref name="name"/> from now on; returns the loaded entry it removed, if any.</summary>
    internal LoadedModel? Remove(string name)
    {
        lock (Gate)
        {
            var slot = FindOwn(name);
            if (slot is null)
            {
                return null;
            }

            _slots = [.. _slots.Where(s => s != slot)];
            var previous = slot.Loaded;
            slot.Loaded = null;
            slot.State = ModelState.Unloaded;
            Publish();
            return previous;
        }
    }

    /// <summary>Marks <paramref name="slot"/> as serving <paramref name="model"/>.</summary>
    internal void Loaded(ModelSlot slot, LoadedModel model)
    {
        lock (Gate)
        {
            slot.Loaded = model;
            slot.State = ModelState.Loaded;
            slot.Failure = null;
            slot.FailedAt = null;
            Publish();
        }
    }

    /// <summary>Takes <paramref name="slot"/>'s model out of service (to unload it); new requests load it again.</summary>
    internal LoadedModel? Unload(ModelSlot slot, ModelState state)
    {
        lock (Gate)
        {
            var model = slot.Loaded;
            slot.Loaded = null;
            slot.State = state;
            Publish();
            return model;
        }
    }

    /// <summary>Announces a change of a slot's state (loading, failed) to <see cref="Changed"/> watchers.</summary>
    internal void Publish()
    {
        TaskCompletionSource changed;
        lock (Gate)
        {
            Volatile.Write(ref _models, [.. _slots.Select(s => s.Loaded).OfType<LoadedModel>()]);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    internal void MarkReady() => _ready.TrySetResult();

    private ModelSlot? FindOwn(string name) => _slots.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        List<LoadedModel> models;
        lock (Gate)
        {
            models = [.. _slots.Select(s => s.Loaded).OfType<LoadedModel>()];
            foreach (var slot in _slots)
            {
                slot.Loaded = null;
                slot.State = ModelState.Unloaded;
            }

            _models = [];
        }

        foreach (var model in models)
        {
            await model.DisposeAsync();
        }
    }
}
