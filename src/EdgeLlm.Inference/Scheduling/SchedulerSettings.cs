using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>The scheduler's limits, taken from <see cref="InferenceOptions"/> and the model's own settings.</summary>
internal sealed record SchedulerSettings(int MaxSequences, int QueueCapacity, int PromptChunkTokens, TimeSpan RequestTimeout)
{
    /// <summary>How often an idle loop wakes to prove it is alive (watchdog).</summary>
    public TimeSpan IdleTick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sequences one key (and one tenant) may hold at most; null: all while alone, one fewer while another is present.</summary>
    public int? MaxSequencesPerKey { get; init; }

    /// <summary>Requests one key (and one tenant) may have waiting beyond its sequences; null: the whole queue.</summary>
    public int? MaxQueuedPerKey { get; init; }

    /// <summary>How long a key counts as present after its last request, for the automatic sequence share.</summary>
    public TimeSpan ShareWindow { get; init; } = InferenceOptions.ShareWindow;

    /// <summary>Prompt-lookup speculation; null: off (configured off, or the model's memory cannot be cut back).</summary>
    public SpeculationSettings? Speculation { get; init; }

    /// <summary>Requests one key (and one tenant) may have running or waiting together.</summary>
    public int AdmittedPerKey => (MaxSequencesPerKey ?? MaxSequences) + (MaxQueuedPerKey ?? QueueCapacity);

    public static SchedulerSettings From(InferenceOptions options, EffectiveModelSettings model) =>
        new(model.MaxSequences, model.QueueCapacity, options.PromptChunkTokens, options.RequestTimeout)
        {
            MaxSequencesPerKey = options.MaxSequencesPerKey,
            MaxQueuedPerKey = options.MaxQueuedPerKey,
        };
}

/// <summary>How a scheduler speculates (<see cref="InferenceOptions"/>'s <c>Speculation*</c> settings).</summary>
internal sealed record SpeculationSettings(int MaxDraftTokens, int NgramMin, int NgramMax, int MaxStreams)
{
    public static SpeculationSettings From(InferenceOptions options) =>
        new(options.SpeculationMaxDraftTokens, options.SpeculationNgramMin, options.SpeculationNgramMax, options.SpeculationMaxStreams);
}

/// <summary>A point-in-time view of the scheduler, for health and status.</summary>
/// <param name="Active">Sequences being decoded.</param>
/// <param name="Waiting">Admitted requests waiting for a free sequence.</param>
/// <param name="LastHeartbeat">When the loop last completed a step or an idle tick.</param>
/// <param name="Faulted">True once the loop died; the daemon must restart.</param>
/// <param name="Completed">Generations that ended other than by cancellation, since start.</param>
/// <param name="Cancelled">Generations cancelled by their client (or by shutdown), since start.</param>
/// <param name="PeakActive">The most sequences ever decoded together, since start.</param>
public sealed record SchedulerSnapshot(int Active, int Waiting, DateTimeOffset LastHeartbeat, bool Faulted, long Completed, long Cancelled, int PeakActive);

/// <summary>A model's prefix reuse and speculation, for status.</summary>
/// <param name="PrefixCache">Finished prompts' cells are kept for later prompts that begin the same way.</param>
/// <param name="Speculation">Prompt-lookup speculation is used while few streams run.</param>
/// <param name="Unavailable">Why the model's memory rules both out although they were configured; null otherwise.</param>
/// <param name="KeptPrefixes">Prefixes kept now.</param>
/// <param name="KeptCells">KV cells they hold (counted whole, also where running sequences share them).</param>
public sealed record ReuseSnapshot(bool PrefixCache, bool Speculation, string? Unavailable, int KeptPrefixes, long KeptCells);
