using LiteDB;

namespace EdgeLlm.Updates.State;

public sealed partial class UpdateStateStore
{
    private const int HistoryKept = 200;
    private const string LastErrorNote = "last_error";
    private const string LastCheckNote = "last_check";
    private const string PullETagNote = "pull_etag";
    private readonly ILiteCollection<InstalledItem> _installed;
    private readonly ILiteCollection<InstallPlan> _plans;
    private readonly ILiteCollection<UpdateEvent> _history;
    private readonly ILiteCollection<UpdateNote> _notes;

    public IReadOnlyList<InstalledItem> Installed() => Read(() => _installed.FindAll().OrderBy(i => i.Id, StringComparer.Ordinal).ToList());

    public InstalledItem? FindInstalled(string kind, string name) => Read(() => _installed.FindById(InstalledItem.IdOf(kind, name)));

    public IReadOnlyList<InstallPlan> UnfinishedPlans() => Read(() => _plans.FindAll().Where(p => !p.IsFinished).OrderBy(p => p.StartedAt).ToList());

    public IReadOnlyList<InstallPlan> Plans() => Read(() => _plans.FindAll().ToList());

    /// <summary>Newest first.</summary>
    public IReadOnlyList<UpdateEvent> History(int count) => Read(() => _history.Find(Query.All(Query.Descending), limit: count).ToList());

    public (DateTime At, string Code, string Message)? LastError() => Note(LastErrorNote);

    public (DateTime At, string Code, string Message)? LastCheck() => Note(LastCheckNote);

    public string? PullETag() => Read(() => _notes.FindById(PullETagNote)?.Text);

    /// <summary>Writes a plan's current state (the journal entry that guards its next step).</summary>
    public void SavePlan(InstallPlan plan) => InTransaction(() => _plans.Upsert(plan));

    /// <summary>
    /// The commit point of an install, in one transaction: every planned item becomes active (its active version
    /// becomes previous), the bundle's sequence becomes the channel's floor, and the plan is marked activated.
    /// </summary>
    public void Activate(InstallPlan plan, IReadOnlyDictionary<string, InstalledVersion> configuredDefaults)
    {
        InTransaction(() =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            foreach (var item in plan.Items)
            {
                var id = InstalledItem.IdOf(item.Kind, item.Name);
                var installed = _installed.FindById(id) ?? new InstalledItem { Id = id, Kind = item.Kind, Name = item.Name };
                installed.Previous = installed.Active ?? configuredDefaults.GetValueOrDefault(id);
                installed.Active = new InstalledVersion
                {
                    Version = item.Version, Path = item.ServedPath, Folder = item.VersionDirectory, Bundle = plan.Bundle, Channel = plan.Channel, Sequence = plan.Sequence, ActivatedAt = now,
                };
                installed.Confirmed = false;
                installed.UnconfirmedStarts = 0;
                _installed.Upsert(installed);
            }

            RaiseFloor(plan.Channel!, plan.Sequence, new DateTimeOffset(DateTime.SpecifyKind(plan.Created, DateTimeKind.Utc)));
            plan.Step = InstallSteps.Activated;
            _plans.Upsert(plan);
        });
    }

    /// <summary>Makes the previous version active again and forgets the one that failed; false when there is no previous version.</summary>
    public bool RollBack(string kind, string name, UpdateEvent reason)
    {
        var rolledBack = false;
        InTransaction(() =>
        {
            var installed = _installed.FindById(InstalledItem.IdOf(kind, name));
            if (installed?.Previous is null)
            {
                return;
            }

            installed.Active = installed.Previous;
            installed.Previous = null;
            installed.Confirmed = true;
            installed.UnconfirmedStarts = 0;
            _installed.Upsert(installed);
            AddEvent(reason);
            rolledBack = true;
        });
        return rolledBack;
    }

    /// <summary>Removes an item that has no previous version from the catalog (its activation was undone before it ever served).</summary>
    public void Withdraw(string kind, string name, UpdateEvent reason) => InTransaction(() =>
    {
        _installed.Delete(InstalledItem.IdOf(kind, name));
        AddEvent(reason);
    });

    /// <summary>Drops the previous version from the catalog (its files are about to be removed).</summary>
    public void ForgetPrevious(string kind, string name) => InTransaction(() =>
    {
        if (_installed.FindById(InstalledItem.IdOf(kind, name)) is { Previous: not null } installed)
        {
            installed.Previous = null;
            _installed.Upsert(installed);
        }
    });

    /// <summary>Counts a start-up of an unconfirmed activation; returns the count so far.</summary>
    public int CountUnconfirmedStart(string kind, string name)
    {
        var starts = 0;
        InTransaction(() =>
        {
            var installed = _installed.FindById(InstalledItem.IdOf(kind, name));
            if (installed is { Confirmed: false })
            {
                installed.UnconfirmedStarts++;
                starts = installed.UnconfirmedStarts;
                _installed.Upsert(installed);
            }
        });
        return starts;
    }

    /// <summary>The active version proved itself: it becomes the last good version.</summary>
    public void Confirm(string kind, string name, string version) => InTransaction(() =>
    {
        var installed = _installed.FindById(InstalledItem.IdOf(kind, name));
        if (installed is { Confirmed: false } && installed.Active?.Version == version)
        {
            installed.Confirmed = true;
            installed.UnconfirmedStarts = 0;
            _installed.Upsert(installed);
        }
    });

    /// <summary>Ends a plan and records what happened; an error also becomes the last error.</summary>
    public void FinishPlan(InstallPlan plan, string step, UpdateEvent outcome) => InTransaction(() =>
    {
        plan.Step = step;
        plan.FinishedAt = _time.GetUtcNow().UtcDateTime;
        _plans.Upsert(plan);
        AddEvent(outcome);
        // Finished plans are history already; keep the journal small.
        foreach (var old in _plans.FindAll().Where(p => p.IsFinished).OrderByDescending(p => p.FinishedAt).Skip(20).ToList())
        {
            _plans.Delete(old.Id);
        }
    });

    /// <summary>Removes a plan that changed nothing and is not worth a history entry (nothing new to pull).</summary>
    public void ForgetPlan(InstallPlan plan) => InTransaction(() => _plans.Delete(plan.Id));

    /// <summary>Records an event outside a plan: a refused bundle, a crash-loop rollback, an operator's rollback.</summary>
    public void Record(UpdateEvent outcome) => InTransaction(() => AddEvent(outcome));

    public void RecordCheck(string outcome, string message, string? etag)
    {
        InTransaction(() =>
        {
            _notes.Upsert(new UpdateNote { Id = LastCheckNote, At = _time.GetUtcNow().UtcDateTime, Code = outcome, Text = message });
            if (etag is not null)
            {
                _notes.Upsert(new UpdateNote { Id = PullETagNote, At = _time.GetUtcNow().UtcDateTime, Text = etag });
            }
        });
    }

    private void AddEvent(UpdateEvent outcome)
    {
        outcome.Id = 0;
        outcome.At = _time.GetUtcNow().UtcDateTime;
        _history.Insert(outcome);
        _recorded.Add(outcome);
        if (outcome.Code is not null && outcome.Event is not "installed")
        {
            _notes.Upsert(new UpdateNote { Id = LastErrorNote, At = outcome.At, Code = outcome.Code, Text = outcome.Message });
        }

        var count = _history.Count();
        if (count > HistoryKept)
        {
            foreach (var id in _history.Find(Query.All(), limit: count - HistoryKept).Select(e => e.Id).ToList())
            {
                _history.Delete(id);
            }
        }
    }

    private (DateTime At, string Code, string Message)? Note(string id) => Read<(DateTime, string, string)?>(() =>
        _notes.FindById(id) is { } note ? (DateTime.SpecifyKind(note.At, DateTimeKind.Utc), note.Code ?? "", note.Text ?? "") : null);
}
