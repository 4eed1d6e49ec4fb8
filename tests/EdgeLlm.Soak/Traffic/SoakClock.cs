using System.Diagnostics;

namespace EdgeLlm.Soak.Traffic;

/// <summary>Time since the soak's traffic began, the one clock every sample and phase boundary is read on.</summary>
internal sealed class SoakClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Now => Stopwatch.GetElapsedTime(_start);
}
