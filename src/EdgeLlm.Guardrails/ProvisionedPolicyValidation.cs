using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails;

/// <summary>A <c>Guardrails:PolicyFile</c> that cannot be read or fails validation stops the start, its JSON path named.</summary>
internal sealed class ProvisionedPolicyValidation(ProvisionedPolicy provisioned) : IValidateOptions<GuardrailsOptions>
{
    public ValidateOptionsResult Validate(string? name, GuardrailsOptions options) =>
        options.PolicyFile is { } file && provisioned.Read(file) is PolicyLoadResult.Refused refused
            ? ValidateOptionsResult.Fail($"Guardrails:PolicyFile '{file}' is refused at {refused}")
            : ValidateOptionsResult.Success;
}
