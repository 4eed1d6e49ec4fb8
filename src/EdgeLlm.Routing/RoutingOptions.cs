using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EdgeLlm.Routing;

/// <summary>
/// Virtual model names that clients put in <c>model</c> and that resolve, rule by rule, to a served model
/// (section <c>Routing</c>).
/// </summary>
public sealed class RoutingOptions : IValidatableObject
{
    public const string SectionName = "Routing";

    /// <summary>The routes; none by default, so every <c>model</c> names a model or an alias.</summary>
    public List<RouteOptions> Routes { get; set; } = [];

    /// <summary>
    /// Longest a rule's <c>Pattern</c> may run on one message; a pattern that runs longer does not match (the next
    /// rule is tried). Default 10 ms: a routing decision must stay far below a generation's cost.
    /// </summary>
    public TimeSpan PatternTimeout { get; set; } = TimeSpan.FromMilliseconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PatternTimeout <= TimeSpan.Zero || PatternTimeout > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Routing:PatternTimeout must be above zero and at most one second.", [nameof(PatternTimeout)]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Routes.Count; i++)
        {
            var route = Routes[i];
            if (string.IsNullOrWhiteSpace(route.Name))
            {
                yield return new ValidationResult($"Routing:Routes:{i}:Name is required.", [nameof(Routes)]);
            }
            else if (!names.Add(route.Name))
            {
                yield return new ValidationResult($"Routing:Routes:{i}: the route name '{route.Name}' is used twice.", [nameof(Routes)]);
            }

            if (route.Rules.Count == 0)
            {
                yield return new ValidationResult($"Routing:Routes:{i} ('{route.Name}') needs at least one rule.", [nameof(Routes)]);
            }

            for (var r = 0; r < route.Rules.Count; r++)
            {
                foreach (var error in route.Rules[r].Validate($"Routing:Routes:{i}:Rules:{r}"))
                {
                    yield return new ValidationResult(error, [nameof(Routes)]);
                }
            }
        }
    }

    /// <summary>The compiled pattern of a rule: case-insensitive, culture-invariant, bounded by <see cref="PatternTimeout"/>.</summary>
    internal Regex CompilePattern(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternTimeout);

        // The compiled matcher is jitted at its first use, which can take longer than the timeout: do it at start-up,
        // not in the first request (whose rule would be passed over).
        _ = regex.IsMatch("");
        return regex;
    }
}
