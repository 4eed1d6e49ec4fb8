namespace EdgeLlm.Updates.Tests.Support;

/// <summary>Waits, in real time, for something another thread (a server on loopback, a pull) makes true.</summary>
internal static class Poll
{
    public static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 30 s.");
            await Task.Delay(20);
        }
    }
}
