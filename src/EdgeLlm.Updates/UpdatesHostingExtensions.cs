using EdgeLlm.Updates.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates;

public static class UpdatesHostingExtensions
{
    /// <summary>Registers signed updates: options (validated at start-up), the trusted publisher keys and the minisign verifier.</summary>
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

        services.AddSingleton(sp => TrustedKeyRing.Load(sp.GetRequiredService<IOptions<UpdatesOptions>>().Value.TrustedKeysDirectory));
        services.AddSingleton(sp => new MinisignVerifier(sp.GetRequiredService<TrustedKeyRing>(), sp.GetRequiredService<IOptions<UpdatesOptions>>().Value.AllowLegacySignatures));
        return services;
    }
}
