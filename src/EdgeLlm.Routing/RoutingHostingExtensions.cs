using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Routing;

public static class RoutingHostingExtensions
{
    /// <summary>
    /// Registers the rules router: its options (validated at start-up, patterns compiled, names checked against the
    /// configured models) and the <see cref="RouteResolver"/>.
    /// </summary>
    public static IServiceCollection AddEdgeLlmRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingModelNamesValidation>());
        services.AddSingleton<RouteResolver>();
        return services;
    }
}
