namespace EdgeLlm.Updates.Rollouts;

/// <summary>Whose requests stay together on one version during a rollout.</summary>
public enum RolloutStickiness
{
    /// <summary>By API key id, else by the request's <c>user</c> field.</summary>
    ApiKey,

    /// <summary>By the request's <c>user</c> field, else by API key id.</summary>
    User,
}
