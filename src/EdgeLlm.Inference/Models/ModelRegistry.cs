namespace EdgeLlm.Inference.Models;

/// <summary>
/// The models this daemon serves, by name. Filled at start-up and ready once every model answered its probe;
/// an update replaces (or withdraws) a model's entry atomically, so each request sees either the old version or the new.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<LoadedModel> _models = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<LoadedModel> Models => Volatile.Read(ref _models);

    /// <summary>True once every configured model is loaded and answered.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the registry became ready.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Finds a model by name or alias; no name means the default: the first chat model (an embedding or guard model is never
    /// a generation default), or the first model when none is a chat model.
    /// </summary>
    public LoadedModel? Find(string? name)
    {
        var models = Models;
        if (string.IsNullOrEmpty(name))
        {
            return models.FirstOrDefault(m => m.Settings.Role == ModelRole.Chat) ?? models.FirstOrDefault();
        }

        // A name wins over an alias: a model installed by an update is not checked against the configured aliases.
        return models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal)) ?? models.FirstOrDefault(m => m.Aliases.Contains(name, StringComparer.Ordinal));
    }

    internal void Add(LoadedModel model)
    {
        lock (_gate)
        {
            Volatile.Write(ref _models, [.. _models, model]);
        }
    }

    /// <summary>Completes at the next change of <see cref="Models"/>.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Serves <paramref name="model"/> under its name from now on; returns the entry it replaced, if any.</summary>
    internal LoadedModel? Replace(LoadedModel model) => Change(model.Name, model);

    /// <summary>Serves nothing under <paramref name="name"/> from now on; returns the entry it removed, if any.</summary>
    internal LoadedModel? Remove(string name) => Change(name, null);

    private LoadedModel? Change(string name, LoadedModel? model)
    {
        LoadedModel? previous;
        TaskCompletionSource changed;
        lock (_gate)
        {
            var index = _models.FindIndex(m => string.Equals(m.Name, name, StringComparison.Ordinal));
            previous = index >= 0 ? _models[index] : null;
            List<LoadedModel> next = [.. _models];
            if (index >= 0)
            {
                next.RemoveAt(index);
            }

            if (model is not null)
            {
                next.Insert(index >= 0 ? index : next.Count, model);
            }

            Volatile.Write(ref _models, next);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return previous;
    }

    internal void MarkReady() => _ready.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        List<LoadedModel> models;
        lock (_gate)
        {
            models = _models;
            _models = [];
        }

        foreach (var model in models)
        {
            await model.DisposeAsync();
        }
    }
}
