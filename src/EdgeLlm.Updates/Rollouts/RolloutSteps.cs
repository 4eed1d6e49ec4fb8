namespace EdgeLlm.Updates.Rollouts;

/// <summary>The candidate's share at each step of a rollout, in percent: what is allowed, and the default.</summary>
public static class RolloutSteps
{
    public const int MaxSteps = 20;

    public static IReadOnlyList<int> Default { get; } = [5, 25, 50, 100];

    /// <summary>Why <paramref name="steps"/> cannot be a rollout's steps, or null: 1-20 rising percentages, the last 100.</summary>
    public static string? Problem(IReadOnlyList<int> steps)
    {
        if (steps.Count is 0 or > MaxSteps)
        {
            return $"steps must list 1-{MaxSteps} percentages";
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is < 1 or > 100 || (i > 0 && steps[i] <= steps[i - 1]))
            {
                return "steps must be rising percentages between 1 and 100";
            }
        }

        return steps[^1] == 100 ? null : "the last step must be 100";
    }
}
