namespace EdgeLlm.Routing;

/// <summary>One virtual model name and its rules (<c>Routing:Routes:N</c>).</summary>
public sealed class RouteOptions
{
    /// <summary>The name clients put in <c>model</c> (e.g. <c>auto</c>); it must not be a model name or alias.</summary>
    public string Name { get; set; } = "";

    /// <summary>Rules in order; the first whose conditions all hold chooses the target. A rule without conditions or classifier always matches.</summary>
    public List<RouteRuleOptions> Rules { get; set; } = [];

    /// <summary>
    /// Models (names or aliases) tried in order, within the same request, when the chosen target refuses admission
    /// with 429 <c>queue_full</c> or 503 <c>model_not_ready</c>; the target itself is skipped. None by default.
    /// </summary>
    public List<string> Fallbacks { get; set; } = [];
}
