using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Serves a new version of a model without a restart: loads it next to the running one, checks that it
/// answers, then swaps the registry entry so new requests start on the new version, while requests already
/// admitted on the old one finish there before it is unloaded. The old version keeps serving when anything fails.
/// A model can also be withdrawn the same way: out of the registry first, unloaded once drained.
/// </summary>
public sealed class ModelSwitcher
{
    private readonly ModelLoader _loader;
    private readonly ModelRegistry _registry;
    private readonly IOptions<InferenceOptions> _options;
    private readonly ILogger<ModelSwitcher> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal ModelSwitcher(ModelLoader loader, ModelRegistry registry, IOptions<InferenceOptions> options, ILogger<ModelSwitcher> logger)
    {
        _loader = loader;
        _registry = registry;
        _options = options;
        _logger = logger;
    }

    /// <summary>Tokens the health check generates before a new version takes requests.</summary>
    public const int HealthCheckTokens = 4;

    public async Task<ModelSwitchResult> SwitchAsync(ModelOptions model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _registry.Ready.WaitAsync(cancellationToken);
            LoadedModel loaded;
            try
            {
                loaded = await Task.Run(() => _loader.Load(model), cancellationToken);
            }
            catch (ModelLoadException ex)
            {
                return new ModelSwitchResult.Failed(ex.Code ?? "load_failed", ex.Message);
            }

            try
            {
                await ModelHealthCheck.RunAsync(loaded, HealthCheckTokens, cancellationToken);
            }
            catch (ModelLoadException ex)
            {
                await loaded.DisposeAsync();
                return new ModelSwitchResult.Failed(ex.Code ?? "health_check_failed", ex.Message);
            }
            catch (OperationCanceledException)
            {
                await loaded.DisposeAsync();
                throw;
            }

            var replaced = _registry.Replace(loaded);
            InferenceLog.ModelSwitched(_logger, loaded.Name, loaded.FilePath, replaced?.FilePath);
            if (replaced is not null)
            {
                _ = RetireAsync(replaced);
            }

            return new ModelSwitchResult.Switched(loaded.Name, loaded.FilePath);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes <paramref name="name"/> out of service (an update that brought it failed): new requests no longer find it,
    /// requests already admitted finish, then it is unloaded; returns once it is. False when no model of that name serves.
    /// </summary>
    public async Task<bool> WithdrawAsync(string name, CancellationToken cancellationToken)
    {
        LoadedModel? withdrawn;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            withdrawn = _registry.Remove(name);
        }
        finally
        {
            _gate.Release();
        }

        if (withdrawn is null)
        {
            return false;
        }

        InferenceLog.ModelWithdrawn(_logger, withdrawn.Name, withdrawn.FilePath);
        await RetireAsync(withdrawn);
        return true;
    }

    private async Task RetireAsync(LoadedModel model)
    {
        try
        {
            await model.RetireAsync(_options.Value.RequestTimeout);
            InferenceLog.ModelRetired(_logger, model.Name, model.FilePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            InferenceLog.ModelRetireFailed(_logger, model.Name, ex);
        }
    }
}

/// <summary>Outcome of <see cref="ModelSwitcher.SwitchAsync"/>.</summary>
public abstract record ModelSwitchResult
{
    private ModelSwitchResult()
    {
    }

    /// <summary>The new version serves all new requests.</summary>
    public sealed record Switched(string Name, string FilePath) : ModelSwitchResult;

    /// <summary>The new version could not be loaded or did not answer; the previous one still serves.</summary>
    public sealed record Failed(string Code, string Message) : ModelSwitchResult;
}
