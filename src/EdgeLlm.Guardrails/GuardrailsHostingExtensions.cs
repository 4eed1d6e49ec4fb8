using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails;

public static class GuardrailsHostingExtensions
{
    /// <summary>
    /// Registers the safety supervisor: its options (validated at start-up, the policy file read and compiled), the
    /// <see cref="PolicyStore"/> the update installer activates policy bundles in, and the <see cref="GuardrailEnforcer"/>
    /// the API screens requests with (every policy put in force prepared off the request path), and the
    /// <see cref="PolicyOutcomes"/> a policy canary is judged by. The guard model runs
    /// through an <see cref="IGuardModel"/> the API registers.
    /// </summary>
    public static IServiceCollection AddEdgeLlmGuardrails(this IServiceCollection services)
    {
        services.AddOptions<GuardrailsOptions>()
            .BindConfiguration(GuardrailsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ProvisionedPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardrailsOptions>, ProvisionedPolicyValidation>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GuardrailsOptions>>().Value;
            var store = new PolicyStore();
            if (options.PolicyFile is { } file && sp.GetRequiredService<ProvisionedPolicy>().Read(file) is PolicyLoadResult.Loaded loaded)
            {
                store.Activate(loaded.Policies);
                GuardrailsLog.Activated(sp.GetRequiredService<ILogger<PolicyStore>>(), loaded.Policies.Version, loaded.Policies.Tenants.Count, file);
            }

            return store;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PolicyOutcomes(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GuardrailEnforcer(
            sp.GetRequiredService<PolicyStore>(), sp.GetRequiredService<IOptions<GuardrailsOptions>>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<IGuardModel>(), sp.GetRequiredService<PolicyOutcomes>()));
        services.AddHostedService<PolicyWarmUp>();
        return services;
    }
}
