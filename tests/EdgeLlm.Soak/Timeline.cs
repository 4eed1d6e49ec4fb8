namespace EdgeLlm.Soak;

/// <summary>
/// When each part of the soak runs, on the soak's clock. Key B alone first (its unloaded latency); then key A's flood
/// beside key B and nothing else (the fairness measurement); then everything at once (the mix) until the end: fuzzing,
/// cancellation churn, stalled readers, overload bursts, with the disk-full episode two thirds into the mix (late, so a
/// daemon that falls over on it has shown the rest first; early enough that its recovery is timed before the end).
/// </summary>
internal sealed record Timeline(TimeSpan Total, TimeSpan UnloadedEnd, TimeSpan FloodSettled, TimeSpan MixStart, TimeSpan DiskFullStart, TimeSpan DiskFullEnd)
{
    // The flood's streams need a moment to fill every sequence before key B's latency counts as "flooded".
    private static readonly TimeSpan FloodRampUp = TimeSpan.FromSeconds(3);

    public static Timeline For(TimeSpan total)
    {
        var unloaded = Clamp(total * 0.10, 15, 120);
        var floodOnly = Clamp(total * 0.15, 20, 240);
        var mixStart = unloaded + floodOnly;
        var mix = total - mixStart;
        if (mix < TimeSpan.FromSeconds(40))
        {
            throw new ArgumentException($"{total.TotalMinutes} minutes is too short for every phase; give --minutes 2 or more.");
        }

        var diskFull = Clamp(total * 0.10, 15, 180);
        var diskFullStart = mixStart + ((mix - diskFull) * 2 / 3);
        return new Timeline(total, unloaded, unloaded + FloodRampUp, mixStart, diskFullStart, diskFullStart + diskFull);
    }

    private static TimeSpan Clamp(TimeSpan value, double minSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(Math.Clamp(value.TotalSeconds, minSeconds, maxSeconds));
}
