using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Install;

/// <summary>What the collector keeps and removes in a real data directory, and what it refuses for the disk budget.</summary>
public sealed class StorageCollectorTests : IDisposable
{
    private InstallFolder _folder = new();

    [Fact]
    public void StagingLeftoversAndVersionsNeitherActiveNorPreviousAreRemoved()
    {
        var first = _folder.Plan("assistant", 1);
        _folder.Activate(first);
        var second = _folder.Plan("assistant", 2);
        _folder.Activate(second);
        var third = _folder.Plan("assistant", 3);
        _folder.Activate(third);
        var running = _folder.Plan("assistant", 4);

        _folder.Storage.Collect(running.StagingDirectory);

        Assert.False(Directory.Exists(first.Items[0].VersionDirectory));
        Assert.True(Directory.Exists(second.Items[0].VersionDirectory));
        Assert.True(Directory.Exists(third.Items[0].VersionDirectory));
        Assert.False(Directory.Exists(first.StagingDirectory));
        Assert.True(Directory.Exists(running.StagingDirectory));
        Assert.False(Directory.Exists(running.Items[0].VersionDirectory));
    }

    [Fact]
    public void OverTheBudgetTheOldestPreviousVersionGoesButNeverAnActiveOne()
    {
        _folder.Dispose();
        _folder = new InstallFolder(diskBudget: 350);
        var a1 = _folder.Plan("a", 1, bytes: 100);
        _folder.Activate(a1);
        _folder.Clock.Advance(TimeSpan.FromMinutes(1));
        var b1 = _folder.Plan("b", 2, bytes: 100);
        _folder.Activate(b1);
        _folder.Clock.Advance(TimeSpan.FromMinutes(1));
        var a2 = _folder.Plan("a", 3, bytes: 100);
        _folder.Activate(a2);
        _folder.Clock.Advance(TimeSpan.FromMinutes(1));
        var b2 = _folder.Plan("b", 4, bytes: 100);
        _folder.Activate(b2);

        _folder.Storage.Collect(null);

        Assert.False(Directory.Exists(a1.Items[0].VersionDirectory));
        Assert.True(Directory.Exists(b1.Items[0].VersionDirectory));
        Assert.True(Directory.Exists(a2.Items[0].VersionDirectory) && Directory.Exists(b2.Items[0].VersionDirectory));
        Assert.Null(_folder.State.FindInstalled("model", "a")!.Previous);
        Assert.Equal("stable-2", _folder.State.FindInstalled("model", "b")!.Previous!.Version);
    }

    [Fact]
    public void ABundleThatCannotFitNextToTheActiveVersionsIsRefused()
    {
        _folder.Dispose();
        _folder = new InstallFolder(diskBudget: 250);
        _folder.Activate(_folder.Plan("a", 1, bytes: 100));
        var fits = _folder.Plan("b", 2, place: false);
        File.WriteAllBytes(Path.Combine(fits.StagingDirectory, "files", "b.gguf"), new byte[150]);
        var tooBig = _folder.Plan("c", 3, place: false);
        File.WriteAllBytes(Path.Combine(tooBig.StagingDirectory, "files", "c.gguf"), new byte[151]);

        Assert.Null(_folder.Storage.Refuses(fits));
        Assert.Equal("disk_budget_exceeded", _folder.Storage.Refuses(tooBig)!.Code);
    }

    [Fact]
    public void KeptDownloadsStayWhileTheDevicePullsAndGoWhenItNoLongerDoes()
    {
        _folder.Dispose();
        _folder = new InstallFolder(pullUrl: new Uri("https://updates.example/stable/"));
        var kept = _folder.KeptDownload(100);
        _folder.Storage.Collect(null);
        var whilePulling = File.Exists(kept);
        using var notPulling = new InstallFolder();
        var abandoned = notPulling.KeptDownload(100);

        notPulling.Storage.Collect(null);

        Assert.True(whilePulling);
        Assert.False(File.Exists(abandoned));
        Assert.False(Directory.Exists(notPulling.Paths.Downloads));
    }

    [Fact]
    public void OverTheBudgetKeptDownloadsGoBeforeAnyPreviousVersion()
    {
        _folder.Dispose();
        _folder = new InstallFolder(diskBudget: 350, pullUrl: new Uri("https://updates.example/stable/"));
        var a1 = _folder.Plan("a", 1, bytes: 100);
        _folder.Activate(a1);
        var a2 = _folder.Plan("a", 2, bytes: 100);
        _folder.Activate(a2);
        var kept = _folder.KeptDownload(200);

        _folder.Storage.Collect(null);

        Assert.False(File.Exists(kept));
        Assert.True(Directory.Exists(a1.Items[0].VersionDirectory));
        Assert.Equal("stable-1", _folder.State.FindInstalled("model", "a")!.Previous!.Version);
    }

    [Fact]
    public void APulledBundleIsJudgedAgainstTheBudgetByTheSizesItsManifestSigns()
    {
        _folder.Dispose();
        _folder = new InstallFolder(diskBudget: 250);
        _folder.Activate(_folder.Plan("a", 1, bytes: 100));
        BundleManifest Signing(long bytes) => new("b", "stable", 2, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, "default", [new BundleArtifact("model", "b.gguf", bytes, new string('0', 64))]);

        Assert.Null(_folder.Storage.Refuses(Signing(150)));
        Assert.Equal("disk_budget_exceeded", _folder.Storage.Refuses(Signing(151))!.Code);
    }

    public void Dispose() => _folder.Dispose();
}
