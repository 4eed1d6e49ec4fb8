using EdgeLlm.Inference;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Routing;

/// <summary>
/// Checks routes against the configured models at start-up: a route name must not be a model name or alias (a
/// request's <c>model</c> always means one thing), and every target, fallback, classifier model and cascade model
/// must name a configured model; every model a route generates with (targets, fallbacks, cascade models) must be a
/// chat model, and a classifier's model a chat or embedding one.
/// </summary>
internal sealed class RoutingModelNamesValidation(IOptions<InferenceOptions> inference) : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        InferenceOptions configured;
        try
        {
            configured = inference.Value;
        }
        catch (OptionsValidationException)
        {
            // The models' settings are refused already, and that refusal names them; a second one here would only
            // wrap it. The routes are checked again at the next start, once the models are valid.
            return ValidateOptionsResult.Skip;
        }

        var models = configured.Models.SelectMany(m => m.Aliases.Prepend(m.EffectiveName)).ToHashSet(StringComparer.Ordinal);
        var errors = new List<string>();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            if (models.Contains(route.Name))
            {
                errors.Add($"Routing:Routes:{i}:Name '{route.Name}' is already a model name or alias.");
            }

            var named = route.Rules.SelectMany(r => r.Examples.Select(e => e.Target).Append(r.ClassifierModel).Append(r.EscalateTo).Prepend(r.Target))
                .Where(t => !string.IsNullOrEmpty(t))
                .Concat(route.Fallbacks);
            var unknown = named.Where(t => !models.Contains(t!)).Distinct();
            errors.AddRange(unknown.Select(t => $"Routing:Routes:{i} ('{route.Name}'): '{t}' is not a configured model name or alias."));

            var generating = route.Rules.SelectMany(r => r.Examples.Select(e => e.Target).Append(r.EscalateTo).Prepend(r.Target)).Concat(route.Fallbacks);
            foreach (var model in generating.Where(t => !string.IsNullOrEmpty(t)).Distinct())
            {
                if (Role(configured, model!) is { } role && role != ModelRole.Chat)
                {
                    errors.Add($"Routing:Routes:{i} ('{route.Name}'): '{model}' has the role {ModelRoles.Name(role)}; a route generates only with chat models.");
                }
            }

            foreach (var model in route.Rules.Select(r => r.ClassifierModel).Where(m => !string.IsNullOrEmpty(m)).Distinct())
            {
                if (Role(configured, model!) is ModelRole.Guard)
                {
                    errors.Add($"Routing:Routes:{i} ('{route.Name}'): the classifier model '{model}' has the role guard; a classifier embeds with a chat or embedding model.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static ModelRole? Role(InferenceOptions configured, string name) =>
        configured.Models.FirstOrDefault(m => m.EffectiveName == name || m.Aliases.Contains(name)) is { } model && ModelRoles.TryParse(model.Role, out var role) ? role : null;
}
