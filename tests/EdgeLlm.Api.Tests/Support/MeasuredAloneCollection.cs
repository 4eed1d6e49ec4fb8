namespace EdgeLlm.Api.Tests.Support;

/// <summary>Tests that measure the process (its managed heap) run after the parallel ones, with nothing beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}
