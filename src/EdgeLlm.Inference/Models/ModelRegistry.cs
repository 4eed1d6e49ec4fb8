namespace EdgeLlm.Inference.Models;

/// <summary>The models this daemon serves, by name. Filled at start-up; ready once every model answered its probe.</summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<LoadedModel> _models = [];

    public IReadOnlyList<LoadedModel> Models => Volatile.Read(ref _models);

    /// <summary>True once every configured model is loaded and answered.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the registry became ready.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Finds a model by name; no name means the default (first) model.</summary>
    public LoadedModel? Find(string? name)
    {
        var models = Models;
        if (string.IsNullOrEmpty(name))
        {
            return models.Count > 0 ? models[0] : null;
        }

        return models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
    }

    internal void Add(LoadedModel model)
    {
        lock (_gate)
        {
            Volatile.Write(ref _models, [.. _models, model]);
        }
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
