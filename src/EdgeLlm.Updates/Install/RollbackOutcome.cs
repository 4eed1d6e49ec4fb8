namespace EdgeLlm.Updates.Install;

/// <summary>How an operator's rollback ended.</summary>
public abstract record RollbackOutcome
{
    private RollbackOutcome()
    {
    }

    public sealed record RolledBack(string From, string To) : RollbackOutcome;

    /// <summary>No update ever installed this model.</summary>
    public sealed record NotInstalled : RollbackOutcome;

    /// <summary>The active version has nothing to go back to.</summary>
    public sealed record NoPrevious(string Active) : RollbackOutcome;

    /// <summary>The previous version did not load or answer; the active one still serves.</summary>
    public sealed record Failed(string Code, string Message) : RollbackOutcome;
}
