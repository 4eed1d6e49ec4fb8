using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// What a kind of rollout (a model's versions, a policy set's) does in the running daemon; the journal, the steps,
/// the judging and the catalog's commit points are the same for every kind (<see cref="RolloutTransitions"/>).
/// </summary>
internal interface IRolloutSubject
{
    /// <summary>The catalog's item kind: <see cref="RolloutKinds"/>.</summary>
    string Kind { get; }

    /// <summary>The version serving now: the installed active one, else the configured file; null when neither.</summary>
    InstalledVersion? ActiveVersion(string name);

    /// <summary>The configured file's entry, which the first installed version replaces; null when none is configured.</summary>
    InstalledVersion? ConfiguredVersion(string name);

    /// <summary>An installed version the operator asks for: the catalog's previous one, else a version folder holding one file.</summary>
    InstalledVersion? InstalledVersion(string name, string version);

    /// <summary>A file the operator names as candidate, or null when there is none there.</summary>
    InstalledVersion? FromFile(string path);

    /// <summary>Whether the candidate is live in this process (loaded and taking its share).</summary>
    bool IsLive(string name);

    /// <summary>Puts the candidate beside the active version; null on success, else why it cannot serve.</summary>
    Task<CandidateFailure?> LoadAsync(RolloutRecord rollout, CancellationToken cancellationToken);

    /// <summary>Gives the live candidate the rollout's current share.</summary>
    void Serve(RolloutRecord rollout);

    /// <summary>After the catalog's commit: the candidate serves everything; null on success, else why it does not.</summary>
    Task<CandidateFailure?> PromoteAsync(RolloutRecord rollout, CancellationToken cancellationToken);

    /// <summary>No request goes to the candidate any more; it is let go once drained.</summary>
    Task RetireAsync(RolloutRecord rollout, CancellationToken cancellationToken);

    /// <summary>One side's outcomes in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    VersionWindow Window(string name, ServedVersion version, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>Why a candidate could not be put in service: a stable code and a sentence.</summary>
internal sealed record CandidateFailure(string Code, string Message);
