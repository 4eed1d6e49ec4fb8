using System.Diagnostics;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Crash-consistency tests name one point of the install in <c>EDGELLM_FAULT_POINT</c>; reaching it kills the
/// process on the spot (SIGKILL, like <c>kill -9</c> or a power cut: no finally blocks, no flushing). Unset in
/// production, where every call is a string comparison.
/// </summary>
public static class FaultPoints
{
    public const string Variable = "EDGELLM_FAULT_POINT";
    public const string AfterStage = "after-stage";
    public const string AfterPlace = "after-place";
    public const string AfterProbe = "after-probe";
    public const string AfterActivate = "after-activate";
    public const string AfterSwitch = "after-switch";

    /// <summary>A start-up that is about to serve an activation not yet confirmed: stands in for a model that crashes the daemon.</summary>
    public const string UnconfirmedStart = "unconfirmed-start";

    private static readonly string? Selected = Environment.GetEnvironmentVariable(Variable);

    public static void Hit(string point)
    {
        if (string.Equals(Selected, point, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
