using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>The two real models the routing tests route between, with the large one limited to one sequence and no queue.</summary>
internal static class RoutingSettings
{
    public static Dictionary<string, string> TwoModels(Dictionary<string, string> routes)
    {
        var settings = new Dictionary<string, string>(routes)
        {
            ["Inference:Models:0:Name"] = "large",
            ["Inference:Models:0:ContextSize"] = "8192",
            ["Inference:Models:0:MaxSequences"] = "1",
            ["Inference:Models:0:QueueCapacity"] = "0",
            ["Inference:Models:1:Name"] = "small",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:FallbackChatTemplate"] = "plain",
            ["Api:RateLimitPerSecond"] = "0",
        };
        return settings;
    }
}
