using System.Diagnostics;

namespace EdgeLlm.Inference.Models;

/// <summary>The load itself: off the request's thread, one at a time, after the evicted models' memory is freed.</summary>
public sealed partial class ModelResidency
{
    private async Task<LoadedModel?> LoadInBackground(ModelSlot slot, IReadOnlyList<LoadedModel> evicted)
    {
        // Off the caller's thread and gate; the evicted models' memory is freed before the new one takes it.
        await Task.Yield();
        try
        {
            foreach (var model in evicted)
            {
                await RetireAsync(model);
            }

            await _loads.WaitAsync(_stopping.Token);
            try
            {
                var stopwatch = Stopwatch.StartNew();
                var version = slot.Version;
                var loaded = await Task.Run(() => _loader.Load(version), _stopping.Token);
                try
                {
                    await ModelHealthCheck.RunAsync(loaded, 1, _stopping.Token);
                }
                catch
                {
                    await loaded.DisposeAsync();
                    throw;
                }

                LoadedModel? superseded = null;
                lock (_registry.Gate)
                {
                    slot.Loading = null;
                    slot.LeasedAt = _time.GetUtcNow();
                    if (slot.Loaded is { } switched)
                    {
                        // An update switched the model in while this load ran: its version serves, this one goes.
                        superseded = loaded;
                        loaded = switched;
                    }
                    else
                    {
                        _registry.Loaded(slot, loaded);
                    }
                }

                if (superseded is not null)
                {
                    await superseded.DisposeAsync();
                    return loaded;
                }

                ResidencyLog.Loaded(_logger, slot.Name, slot.Policy.Name(), stopwatch.ElapsedMilliseconds);
                return loaded;
            }
            finally
            {
                _loads.Release();
            }
        }
        catch (Exception ex) when (ex is ModelLoadException or OperationCanceledException)
        {
            var (code, message) = ex is ModelLoadException load ? (load.Code ?? "load_failed", load.Message) : ("load_cancelled", "The daemon is stopping.");
            LoadedModel? switched;
            lock (_registry.Gate)
            {
                slot.Loading = null;
                switched = slot.Loaded;
                if (switched is null)
                {
                    slot.Failure = (code, message);
                    slot.FailedAt = _time.GetUtcNow();
                    slot.State = ModelState.Failed;
                    _registry.Publish();
                }
            }

            ResidencyLog.LoadFailed(_logger, slot.Name, code, message);
            return switched;
        }
    }
}
