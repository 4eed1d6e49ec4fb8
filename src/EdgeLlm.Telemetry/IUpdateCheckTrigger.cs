namespace EdgeLlm.Telemetry;

/// <summary>
/// What a fleet's <c>…/cmd/update-check</c> downlink asks for: run an update check now. Telemetry does not
/// know updates; the host registers an implementation (bundles are verified anyway, so a forged command
/// costs one check). With none registered the command is logged and ignored.
/// </summary>
public interface IUpdateCheckTrigger
{
    /// <summary>Starts a check and returns at once; never waits for the check itself.</summary>
    void RequestUpdateCheck(string origin);
}
