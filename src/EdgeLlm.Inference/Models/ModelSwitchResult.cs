namespace EdgeLlm.Inference.Models;

/// <summary>Outcome of loading a model version to serve it (a switch, or a candidate beside the active version).</summary>
public abstract record ModelSwitchResult
{
    private ModelSwitchResult()
    {
    }

    /// <summary>The new version serves (all new requests for a switch; those the canary split sends for a candidate).</summary>
    public sealed record Switched(string Name, string FilePath) : ModelSwitchResult;

    /// <summary>The new version could not be loaded or did not answer; the previous one still serves.</summary>
    public sealed record Failed(string Code, string Message) : ModelSwitchResult;
}
