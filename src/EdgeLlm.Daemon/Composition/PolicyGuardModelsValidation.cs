using EdgeLlm.Guardrails;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// A provisioned policy (<c>Guardrails:PolicyFile</c>) whose guard names no configured model with the role <c>guard</c>
/// stops the start: failing closed, it would refuse every prompt; failing open, it would screen none.
/// </summary>
internal sealed class PolicyGuardModelsValidation(IOptions<InferenceOptions> inference, ProvisionedPolicy provisioned) : IValidateOptions<GuardrailsOptions>
{
    public ValidateOptionsResult Validate(string? name, GuardrailsOptions options)
    {
        if (options.PolicyFile is null || provisioned.Read(options.PolicyFile) is not PolicyLoadResult.Loaded loaded)
        {
            // No file, or one ProvisionedPolicyValidation refuses with its path.
            return ValidateOptionsResult.Skip;
        }

        var guards = inference.Value.Models.Where(m => m.Role == "guard").Select(m => m.EffectiveName).ToHashSet(StringComparer.Ordinal);
        var failures = loaded.Policies.UnknownGuards(guards).Select(f => $"Guardrails:PolicyFile: {f}.").ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
