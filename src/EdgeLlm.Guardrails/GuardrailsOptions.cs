using System.ComponentModel.DataAnnotations;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails;

/// <summary>The safety supervisor's settings (section <c>Guardrails</c>); what it enforces comes from the policy document.</summary>
public sealed class GuardrailsOptions : IValidatableObject
{
    public const string SectionName = "Guardrails";

    /// <summary>
    /// A policy document (JSON) activated at start-up while no policy bundle is installed; a document that fails
    /// validation stops the start with its offending path named. Default: none, so nothing is detected or denied until
    /// a policy is installed.
    /// </summary>
    public string? PolicyFile { get; set; }

    /// <summary>The region (ISO 3166 alpha-2) phone numbers written without '+' are read in. Default: <c>US</c>.</summary>
    public string PhoneRegion { get; set; } = "US";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The policy file is checked by ProvisionedPolicyValidation, which reads it once for the whole start-up.
        if (!PhoneNumberDetector.IsKnownRegion(PhoneRegion))
        {
            yield return new ValidationResult($"Guardrails:PhoneRegion '{PhoneRegion}' is not a region libphonenumber knows (ISO 3166 alpha-2, e.g. US, DE).", [nameof(PhoneRegion)]);
        }
    }
}
