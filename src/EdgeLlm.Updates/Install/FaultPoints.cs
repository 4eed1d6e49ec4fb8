using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Crash-consistency tests name one point of the install in <c>EDGELLM_FAULT_POINT</c>; reaching it kills the
/// process on the spot (SIGKILL, like <c>kill -9</c> or a power cut: no finally blocks, no flushing). Unset in
/// production, where every call is a string comparison. The probe child sees the variable only when it names a
/// probe fault (<see cref="ForProbeChild"/>), so a daemon fault never fires in the child by accident. The variable
/// and the decode loop's points (<see cref="SchedulerFaults.Hang"/>, <see cref="SchedulerFaults.FailPrefix"/>) are
/// declared once, in Inference's <see cref="SchedulerFaults"/>, the lowest part that reads them.
/// </summary>
public static partial class FaultPoints
{
    public const string AfterStage = "after-stage";
    public const string AfterPlace = "after-place";
    public const string AfterProbe = "after-probe";
    public const string AfterActivate = "after-activate";
    public const string AfterSwitch = "after-switch";

    /// <summary>A start-up that is about to serve an activation not yet confirmed: stands in for a model that crashes the daemon.</summary>
    public const string UnconfirmedStart = "unconfirmed-start";

    /// <summary>The probe child aborts (SIGABRT, as llama.cpp's <c>GGML_ABORT</c> does) once the model is loaded: a native crash in the probe.</summary>
    public const string ProbeAbort = "probe-abort";

    private static readonly string? Selected = Environment.GetEnvironmentVariable(SchedulerFaults.Variable);

    /// <summary>The fault point to hand to a probe child: the selected one when it is meant for the probe, else none.</summary>
    public static string? ForProbeChild => Selected == ProbeAbort ? Selected : null;

    public static void Hit(string point)
    {
        if (string.Equals(Selected, point, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }

    /// <summary>Aborts the process in native code at <paramref name="point"/> when it is the selected one.</summary>
    public static void Abort(string point)
    {
        if (string.Equals(Selected, point, StringComparison.Ordinal))
        {
            NativeAbort();
        }
    }

    [LibraryImport("libc", EntryPoint = "abort")]
    private static partial void NativeAbort();
}
