namespace EdgeLlm.Updates.State;

public sealed partial class UpdateStateStore
{
    private const string RolloutCollection = "update_rollouts";
    private const int FinishedRolloutsKept = 20;

    /// <summary>Raised after the transaction that journaled a rollout's start, step, promotion or abort committed (for telemetry).</summary>
    public event Action<RolloutEvent>? RolloutRecorded;

    /// <summary>Every rollout journaled, newest first (finished ones are kept for a while as history).</summary>
    public IReadOnlyList<RolloutRecord> Rollouts() =>
        Read(() => _database.GetCollection<RolloutRecord>(RolloutCollection).FindAll().OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList());

    /// <summary>The rollouts not yet promoted or aborted.</summary>
    public IReadOnlyList<RolloutRecord> UnfinishedRollouts() => [.. Rollouts().Where(r => !r.IsFinished)];

    /// <summary>The unfinished rollout of the model (or, with <paramref name="kind"/> policy, the policy set) <paramref name="name"/>, or null.</summary>
    public RolloutRecord? UnfinishedRollout(string name, string kind = RolloutKinds.Model) => UnfinishedRollouts().FirstOrDefault(r => r.Kind == kind && r.Model == name);

    /// <summary>The version folders unfinished rollouts try, which storage collection must keep (a model file given by path has none).</summary>
    public IReadOnlySet<string> RolloutFolders() =>
        // LiteDB reads an empty string back as null.
        UnfinishedRollouts().Select(r => r.Candidate.Folder).Where(f => !string.IsNullOrEmpty(f)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Journals a rollout's state; <paramref name="kind"/> names the telemetry event it is (null for a change that is none).</summary>
    public void SaveRollout(RolloutRecord rollout, string? kind = null)
    {
        InTransaction(() => SaveRolloutIn(rollout));
        Announce(kind, rollout);
    }

    /// <summary>
    /// Starts a rollout from an install, in one transaction: the bundle's sequence becomes the channel's floor, the
    /// rollout is journaled and the plan passes its commit point, so a restart neither replays the bundle nor loses the
    /// candidate's folder.
    /// </summary>
    public void StartRollout(InstallPlan plan, RolloutRecord rollout)
    {
        InTransaction(() =>
        {
            RaiseFloor(plan.Channel!, plan.Sequence, new DateTimeOffset(DateTime.SpecifyKind(plan.Created, DateTimeKind.Utc)));
            SaveRolloutIn(rollout);
            plan.Step = InstallSteps.Activated;
            _plans.Upsert(plan);
        });
        Announce("started", rollout);
    }

    /// <summary>
    /// The commit point of a promotion, in one transaction: the candidate becomes the item's active version (the
    /// active one becomes previous, as an install's activation does) and the rollout is marked promoted. False, with
    /// nothing changed, when the catalog's active version is no longer the one the rollout was compared with.
    /// </summary>
    public bool CommitPromotion(RolloutRecord rollout, InstalledVersion? configuredDefault)
    {
        var committed = false;
        InTransaction(() =>
        {
            var id = InstalledItem.IdOf(rollout.Kind, rollout.Model);
            var installed = _installed.FindById(id) ?? new InstalledItem { Id = id, Kind = rollout.Kind, Name = rollout.Model };
            var active = installed.Active ?? configuredDefault;
            if ((active?.Version ?? "") != rollout.ActiveVersion)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            installed.Previous = active;
            installed.Active = new InstalledVersion
            {
                Version = rollout.Candidate.Version, Path = rollout.Candidate.Path, Folder = rollout.Candidate.Folder, Bundle = rollout.Candidate.Bundle,
                Channel = rollout.Candidate.Channel, Sequence = rollout.Candidate.Sequence, ActivatedAt = now,
            };
            installed.Confirmed = false;
            installed.UnconfirmedStarts = 0;
            _installed.Upsert(installed);
            rollout.State = RolloutStates.Promoted;
            rollout.FinishedAt = now;
            SaveRolloutIn(rollout);
            AddEvent(new UpdateEvent
            {
                Event = "promoted", Bundle = rollout.Candidate.Bundle, Channel = rollout.Candidate.Channel, Sequence = rollout.Candidate.Sequence,
                Message = $"{RolloutKinds.Title(rollout.Kind)} {rollout.Model} {rollout.Candidate.Version} was promoted by its canary rollout ({rollout.Code}); {rollout.ActiveVersion} is now its previous version.",
            });
            committed = true;
        });
        if (committed)
        {
            Announce("promoted", rollout);
        }

        return committed;
    }

    private void SaveRolloutIn(RolloutRecord rollout)
    {
        var rollouts = _database.GetCollection<RolloutRecord>(RolloutCollection);
        rollouts.Upsert(rollout);
        // Finished rollouts are history; keep the journal small.
        foreach (var old in rollouts.FindAll().Where(r => r.IsFinished).OrderByDescending(r => r.FinishedAt).Skip(FinishedRolloutsKept).ToList())
        {
            rollouts.Delete(old.Id);
        }
    }

    private void Announce(string? kind, RolloutRecord rollout)
    {
        if (kind is not null)
        {
            RolloutRecorded?.Invoke(new RolloutEvent(kind, rollout));
        }
    }
}
