using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Guarding;

/// <summary>
/// The guard verdict's fault points for end-to-end tests, read from <see cref="SchedulerFaults.Variable"/> like every
/// other: the guard model runs as usual, then its answer is replaced. With none set (on a device) there is no instance.
/// </summary>
internal sealed class GuardVerdictFault
{
    /// <summary><c>guard-verdict:unsafe:CATEGORY</c>: the answer becomes <c>unsafe</c> naming CATEGORY (parsed as any answer, so one the policy does not list is <c>unparsable</c>).</summary>
    public const string UnsafePrefix = "guard-verdict:unsafe:";

    /// <summary><c>guard-verdict:unavailable</c>: no verdict (<c>failed</c>), as a guard model that breaks.</summary>
    public const string Unavailable = "guard-verdict:unavailable";

    /// <summary><c>guard-verdict:garbage</c>: the answer becomes text no verdict reads, which must end as <c>unparsable</c>.</summary>
    public const string Garbage = "guard-verdict:garbage";

    /// <summary>What <see cref="Garbage"/> puts in place of the model's answer.</summary>
    internal const string GarbageText = "I think this is probably fine?";

    private readonly string _point;

    private GuardVerdictFault(string point) => _point = point;

    /// <summary>The fault point as set.</summary>
    public string Point => _point;

    /// <summary>The fault point set for this process, or null when none is (or the one set is another part's).</summary>
    public static GuardVerdictFault? FromEnvironment() => For(Environment.GetEnvironmentVariable(SchedulerFaults.Variable));

    internal static GuardVerdictFault? For(string? point) =>
        point is Unavailable or Garbage || (point?.StartsWith(UnsafePrefix, StringComparison.Ordinal) == true && point.Length > UnsafePrefix.Length)
            ? new GuardVerdictFault(point!)
            : null;

    /// <summary>The answer to parse in place of the model's; null when the fault gives no verdict at all.</summary>
    public string? Replace() => _point switch
    {
        Unavailable => null,
        Garbage => GarbageText,
        _ => "unsafe\n" + _point[UnsafePrefix.Length..],
    };
}
