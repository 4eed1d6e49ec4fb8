using EdgeLlm.Inference;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Install;

/// <summary>What the start-up decides to serve from the real update state: interrupted installs, crash loops, leftovers.</summary>
public sealed class StartupRecoveryTests : IDisposable
{
    private readonly InstallFolder _folder = new(maxFailedStarts: 2);

    [Fact]
    public void AnInstallInterruptedBeforeItsCommitPointIsRolledBackWithItsFilesRemoved()
    {
        var plan = _folder.Plan("assistant", 1);
        plan.Step = InstallSteps.Probed;
        _folder.State.SavePlan(plan);

        var served = _folder.Recovery().StartupModels([new ModelOptions { Path = "/models/assistant.gguf" }]);

        Assert.Equal("/models/assistant.gguf", Assert.Single(served).Path);
        Assert.False(Directory.Exists(plan.Items[0].VersionDirectory));
        Assert.False(Directory.Exists(plan.StagingDirectory));
        Assert.Empty(_folder.State.UnfinishedPlans());
        Assert.Equal(("interrupted", "install_interrupted"), (_folder.State.History(1)[0].Event, _folder.State.History(1)[0].Code));
        Assert.Equal(0, _folder.State.HighestSequence("stable"));
    }

    [Fact]
    public void AnInstallInterruptedAfterItsCommitPointServesTheNewVersion()
    {
        var plan = _folder.Plan("assistant", 4);
        _folder.Activate(plan, "/models/assistant.gguf");

        var served = _folder.Recovery().StartupModels([new ModelOptions { Path = "/models/assistant.gguf" }]);

        Assert.Equal(plan.Items[0].ServedPath, Assert.Single(served).Path);
        Assert.Equal("assistant", served[0].EffectiveName);
        Assert.True(File.Exists(plan.Items[0].ServedPath));
        Assert.Equal("installed", _folder.State.History(1)[0].Event);
        Assert.Equal(4, _folder.State.HighestSequence("stable"));
    }

    [Fact]
    public void AnUnconfirmedActivationServesForTheAllowedStartUpsThenThePreviousVersionComesBack()
    {
        var plan = _folder.Plan("assistant", 1);
        _folder.Activate(plan, "/models/assistant.gguf");
        _folder.State.FinishPlan(plan, InstallSteps.Done, new UpdateEvent { Event = "installed", Message = "" });
        IReadOnlyList<ModelOptions> Start() => _folder.Recovery().StartupModels([new ModelOptions { Path = "/models/assistant.gguf" }]);

        var first = Start();
        var second = Start();
        var third = Start();

        Assert.Equal(plan.Items[0].ServedPath, first[0].Path);
        Assert.Equal(plan.Items[0].ServedPath, second[0].Path);
        Assert.Equal("/models/assistant.gguf", third[0].Path);
        var item = _folder.State.FindInstalled("model", "assistant")!;
        Assert.Equal("configured", item.Active!.Version);
        Assert.Null(item.Previous);
        Assert.Equal("crash_loop", _folder.State.LastError()!.Value.Code);
        Assert.False(Directory.Exists(plan.Items[0].VersionDirectory));
    }

    [Fact]
    public void AnUnconfirmedModelNewToTheDeviceIsWithdrawnAfterTheAllowedStartUpsInsteadOfCrashLoopingForever()
    {
        var plan = _folder.Plan("helper", 1);
        _folder.Activate(plan);
        _folder.State.FinishPlan(plan, InstallSteps.Done, new UpdateEvent { Event = "installed", Message = "" });
        IReadOnlyList<ModelOptions> Start() => _folder.Recovery().StartupModels([new ModelOptions { Path = "/models/main.gguf" }]);

        var first = Start();
        var second = Start();
        var third = Start();

        Assert.Equal(["/models/main.gguf", plan.Items[0].ServedPath], first.Select(m => m.Path));
        Assert.Equal(["/models/main.gguf", plan.Items[0].ServedPath], second.Select(m => m.Path));
        Assert.Equal(["/models/main.gguf"], third.Select(m => m.Path));
        Assert.Null(_folder.State.FindInstalled("model", "helper"));
        Assert.Equal(("update_failed", "crash_loop"), (_folder.State.History(1)[0].Event, _folder.State.History(1)[0].Code));
        Assert.False(Directory.Exists(plan.Items[0].VersionDirectory));
        Assert.Equal(1, _folder.State.HighestSequence("stable"));
    }

    [Fact]
    public void KeptDownloadsAreRemovedAtStartUpWhenTheDeviceNoLongerPulls()
    {
        var kept = _folder.KeptDownload(4096);

        _folder.Recovery().StartupModels([]);

        Assert.False(File.Exists(kept));
    }

    [Fact]
    public void AConfirmedVersionIsNotCountedAndAnInstalledModelThatIsNotConfiguredIsAdded()
    {
        var plan = _folder.Plan("helper", 1);
        _folder.Activate(plan);
        _folder.State.Confirm("model", "helper", "stable-1");

        for (var start = 0; start < 5; start++)
        {
            var served = _folder.Recovery().StartupModels([new ModelOptions { Path = "/models/main.gguf" }]);
            Assert.Equal(new[] { "/models/main.gguf", plan.Items[0].ServedPath }, served.Select(m => m.Path).ToArray());
        }

        Assert.Equal(0, _folder.State.FindInstalled("model", "helper")!.UnconfirmedStarts);
    }

    [Fact]
    public void ConfirmationOnlyAppliesToTheVersionThatIsStillActive()
    {
        _folder.Activate(_folder.Plan("assistant", 1));
        _folder.Activate(_folder.Plan("assistant", 2));

        _folder.State.Confirm("model", "assistant", "stable-1");

        var item = _folder.State.FindInstalled("model", "assistant")!;
        Assert.False(item.Confirmed);
        Assert.Equal(("stable-2", "stable-1"), (item.Active!.Version, item.Previous!.Version));
    }

    [Fact]
    public void RecoveryOpensTheGateForInstalls()
    {
        var gate = new RecoveryGate();

        _folder.Recovery(gate).StartupModels([]);

        Assert.True(gate.Opened.IsCompletedSuccessfully);
    }

    public void Dispose() => _folder.Dispose();
}
