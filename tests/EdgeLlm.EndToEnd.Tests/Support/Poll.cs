namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>Waits for what a daemon or a server on loopback makes true, polling; fails the test when it does not come.</summary>
internal static class Poll
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(60);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var limit = within ?? DefaultWithin;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The condition did not come true within {limit.TotalSeconds:F0} s.");
            await Task.Delay(200, cancellationToken);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan? within = null, CancellationToken cancellationToken = default) =>
        Until(() => Task.FromResult(condition()), within, cancellationToken);
}
