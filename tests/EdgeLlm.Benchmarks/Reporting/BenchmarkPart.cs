namespace EdgeLlm.Benchmarks.Reporting;

/// <summary>
/// One participant of a comparison run: its figures are printed as soon as they exist, and a failure leaves only its
/// own rows empty, so one broken tool does not cost the other figures of a long run.
/// </summary>
internal static class BenchmarkPart
{
    public static async Task<T?> TryAsync<T>(string part, Func<Task<T>> measure, Func<T, string> describe)
        where T : class
    {
        try
        {
            var result = await measure();
            Console.WriteLine($"  {describe(result)}");
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"  {part} failed; its rows stay empty: {ex}");
            return null;
        }
    }
}
