using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.WebConsole;

/// <summary>The operator's web console at <c>/console</c> (section <c>WebConsole</c>).</summary>
public sealed class WebConsoleOptions : IValidatableObject
{
    public const string SectionName = "WebConsole";

    /// <summary>Whether the daemon serves the console. Off, <c>/console</c> answers 404 and no session cookie is accepted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A session without a request for this long ends (default 15 minutes; the overview's polling keeps an open page alive).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends this long after sign-in whatever happens (default 8 hours), or at its key's expiry if sooner.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdleTimeout < TimeSpan.FromMinutes(1) || IdleTimeout > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("WebConsole:IdleTimeout must be from 00:01:00 to 1.00:00:00.", [nameof(IdleTimeout)]);
        }

        if (AbsoluteTimeout < IdleTimeout || AbsoluteTimeout > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("WebConsole:AbsoluteTimeout must be at least WebConsole:IdleTimeout and at most 7.00:00:00.", [nameof(AbsoluteTimeout)]);
        }
    }
}
