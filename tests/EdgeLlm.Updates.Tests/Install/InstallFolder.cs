using EdgeLlm.Storage;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Install;

/// <summary>A scratch data directory with the real LiteDB update state, and plans and versions as an install leaves them.</summary>
internal sealed class InstallFolder : IDisposable
{
    public InstallFolder(long diskBudget = 0, int maxFailedStarts = 3, Uri? pullUrl = null)
    {
        Layout = new DataDirectoryLayout(Directory.CreateTempSubdirectory("edgellm-install-").FullName);
        Paths = new UpdatePaths(Layout);
        _database = new StateDatabase(Layout.StateDatabase);
        State = new UpdateStateStore(_database, Clock);
        Options = Microsoft.Extensions.Options.Options.Create(new UpdatesOptions { DiskBudgetBytes = diskBudget, MaxFailedStarts = maxFailedStarts, PullUrl = pullUrl });
        Storage = new StorageCollector(State, Paths, Options, NullLogger<StorageCollector>.Instance);
    }

    private readonly StateDatabase _database;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    public DataDirectoryLayout Layout { get; }

    public UpdatePaths Paths { get; }

    public UpdateStateStore State { get; }

    public IOptions<UpdatesOptions> Options { get; }

    public StorageCollector Storage { get; }

    public StartupRecovery Recovery(RecoveryGate? gate = null) => new(State, Storage, gate ?? new RecoveryGate(), Options, NullLogger<StartupRecovery>.Instance);

    /// <summary>A plan for model <paramref name="name"/> at <paramref name="sequence"/>, its file written into its version folder.</summary>
    public InstallPlan Plan(string name, long sequence, int bytes = 100, bool place = true)
    {
        var plan = new InstallPlan
        {
            Id = Guid.NewGuid().ToString("N"), Source = "test", StartedAt = Clock.GetUtcNow().UtcDateTime, Bundle = "b", Channel = "stable", Sequence = sequence,
            Created = Clock.GetUtcNow().UtcDateTime,
        };
        plan.StagingDirectory = Path.Combine(Paths.Staging, plan.Id);
        var version = $"stable-{sequence}";
        plan.Items.Add(new PlannedItem { Kind = "model", Name = name, Version = version, FileName = name + ".gguf", VersionDirectory = Paths.VersionDirectory("model", name, version) });
        Directory.CreateDirectory(Path.Combine(plan.StagingDirectory, "files"));
        if (place)
        {
            Directory.CreateDirectory(plan.Items[0].VersionDirectory);
            File.WriteAllBytes(plan.Items[0].ServedPath, new byte[bytes]);
        }

        return plan;
    }

    /// <summary>Installs <paramref name="plan"/> up to its commit point, as the installer does.</summary>
    public void Activate(InstallPlan plan, string? configuredPath = null)
    {
        var defaults = configuredPath is null
            ? new Dictionary<string, InstalledVersion>()
            : new Dictionary<string, InstalledVersion> { [InstalledItem.IdOf("model", plan.Items[0].Name)] = new() { Version = "configured", Path = configuredPath } };
        State.Activate(plan, defaults);
    }

    /// <summary>Bytes the pull keeps for an artifact between checks, as it leaves them in <c>staging/downloads</c>.</summary>
    public string KeptDownload(int bytes)
    {
        Directory.CreateDirectory(Paths.Downloads);
        var path = Path.Combine(Paths.Downloads, Guid.NewGuid().ToString("N") + ".partial");
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(Layout.Root, recursive: true);
    }
}
