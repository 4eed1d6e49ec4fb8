namespace EdgeLlm.Routing;

/// <summary>The names of the request features a rule can route on, as settings and requests spell them.</summary>
public static class RoutingFeatures
{
    public const string Tools = "tools";
    public const string JsonSchema = "json_schema";
    public const string JsonObject = "json_object";
    public const string Retrieval = "retrieval";
}
