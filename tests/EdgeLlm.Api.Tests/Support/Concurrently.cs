namespace EdgeLlm.Api.Tests.Support;

/// <summary>Runs work items with at most a given number in flight, keeping the results in the items' order.</summary>
internal static class Concurrently
{
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(IReadOnlyList<TItem> items, int width, Func<TItem, Task<TResult>> work)
    {
        using var slots = new SemaphoreSlim(width);
        var running = items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                return await work(item);
            }
            finally
            {
                slots.Release();
            }
        });
        return await Task.WhenAll(running);
    }
}
