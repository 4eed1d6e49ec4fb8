using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Storage;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.Releases;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.Sources;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates;

public static class UpdatesHostingExtensions
{
    /// <summary>
    /// Registers signed updates: options (validated at start-up), the trusted publisher keys, the verifier, the
    /// update state, the installer with its start-up recovery (which decides what the models serve from), and the
    /// sources: the drop folder and the pull timer; and canary rollouts (the split, the controller, the journal's
    /// recovery ahead of the install recovery); and policy bundles (the installed policy put in force at start-up, the
    /// operator's <see cref="PolicyRollback"/>). Needs <c>AddEdgeLlmInference</c>, <c>AddEdgeLlmGuardrails</c> (the
    /// policy store), and the host's <see cref="DataDirectoryLayout"/> and <see cref="StateDatabase"/>.
    /// </summary>
    public static IServiceCollection AddEdgeLlmUpdates(this IServiceCollection services, Action<UpdatesOptions>? configure = null)
    {
        var builder = services.AddOptions<UpdatesOptions>()
            .BindConfiguration(UpdatesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var keys = TrustedKeyRing.Load(Options(sp).TrustedKeysDirectory);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TrustedKeyRing));
            foreach (var problem in keys.Problems)
            {
                UpdatesLog.TrustedKeyProblem(logger, problem);
            }

            return keys;
        });
        services.AddSingleton(sp => new MinisignVerifier(sp.GetRequiredService<TrustedKeyRing>(), Options(sp).AllowLegacySignatures));
        services.AddSingleton(sp => new UpdatePaths(sp.GetRequiredService<DataDirectoryLayout>()));
        services.AddSingleton(sp => new UpdateStateStore(sp.GetRequiredService<StateDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new BundleVerifier(sp.GetRequiredService<MinisignVerifier>(), sp.GetRequiredService<UpdateStateStore>(), Options(sp).DeviceClass));
        services.AddSingleton<BundleArchive>();
        services.AddSingleton<RecoveryGate>();
        services.AddSingleton<StorageCollector>();
        services.AddOptions<VersionProbeOptions>().Configure<IOptions<UpdatesOptions>>((probe, updates) =>
        {
            probe.Timeout = updates.Value.ProbeTimeout;
            probe.ChildFaultPoint = FaultPoints.ForProbeChild;
        });
        services.AddSingleton<IModelProbe, ChildProcessModelProbe>();
        services.AddSingleton<InstallLock>();
        services.AddSingleton<ReleaseInstaller>();
        services.AddSingleton<ModelRollback>();
        services.AddSingleton<PolicySwitch>();
        services.AddSingleton<PolicyRollback>();
        services.AddSingleton<ActivationSwitch>();
        services.AddSingleton<UpdateInstaller>();
        AddRollouts(services);
        services.AddHostedService<ReleaseConfirmer>();
        services.AddHostedService<PolicyStartup>();
        services.AddSingleton<StartupRecovery>();
        services.AddSingleton<IServedModelSource>(sp => new RolloutStartup(sp.GetRequiredService<StartupRecovery>(), sp.GetRequiredService<RolloutTransitions>()));
        services.AddHostedService<ActivationConfirmer>();
        services.AddHostedService<DropFolderWatcher>();
        services.AddSingleton<FeedMonitor>();
        services.AddSingleton<PullCheck>();
        services.AddSingleton<UpdatePuller>();
        services.AddHostedService(sp => sp.GetRequiredService<UpdatePuller>());
        return services;
    }

    private static void AddRollouts(IServiceCollection services)
    {
        services.AddSingleton<LiveRollouts>();
        services.AddSingleton<ICanarySplit, StickyCanarySplit>();
        services.AddSingleton<IRolloutSubject>(sp => new ModelRolloutSubject(
            sp.GetRequiredService<UpdateStateStore>(), sp.GetRequiredService<IModelVersions>(), sp.GetRequiredService<IVersionOutcomes>(), sp.GetRequiredService<LiveRollouts>(),
            sp.GetRequiredService<UpdatePaths>(), sp.GetRequiredService<IOptions<InferenceOptions>>()));
        services.AddSingleton<IRolloutSubject>(sp => new PolicyRolloutSubject(
            sp.GetRequiredService<UpdateStateStore>(), sp.GetRequiredService<PolicySwitch>(), sp.GetRequiredService<PolicyStore>(), sp.GetRequiredService<PolicyOutcomes>(),
            sp.GetRequiredService<UpdatePaths>(), sp.GetRequiredService<IOptions<InferenceOptions>>()));
        services.AddSingleton(sp => new RolloutTransitions(
            sp.GetRequiredService<UpdateStateStore>(), sp.GetServices<IRolloutSubject>(), sp.GetRequiredService<StorageCollector>(), sp.GetRequiredService<ILogger<CanaryRollouts>>()));
        services.AddSingleton(sp => new RolloutCandidates(sp.GetRequiredService<UpdateStateStore>(), sp.GetRequiredService<RolloutTransitions>(), sp.GetRequiredService<IOptions<UpdatesOptions>>()));
        services.AddSingleton(sp => new CanaryRollouts(
            sp.GetRequiredService<UpdateStateStore>(), sp.GetRequiredService<RolloutCandidates>(), sp.GetRequiredService<RolloutTransitions>(),
            sp.GetRequiredService<IOptions<UpdatesOptions>>(), sp.GetRequiredService<ILogger<CanaryRollouts>>()));
        services.AddHostedService(sp => new RolloutController(sp.GetRequiredService<CanaryRollouts>(), sp.GetRequiredService<ModelRegistry>().Ready, sp.GetRequiredService<TimeProvider>()));
    }

    private static UpdatesOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<UpdatesOptions>>().Value;
}
