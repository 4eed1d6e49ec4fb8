using EdgeLlm.Guardrails.Enforcement;

namespace EdgeLlm.Api.Guarding;

/// <summary>
/// Reads a guard model's answer: <c>safe</c>, or <c>unsafe</c> and a line of comma-separated categories, each one
/// of those the prompt listed. Anything else, an unknown category included, is no verdict (<c>unparsable</c>): the
/// grammar makes that impossible for a real generation, so it means the answer did not come from it.
/// </summary>
internal static class GuardVerdictParser
{
    public const string Unparsable = "unparsable";

    public static GuardVerdict Parse(string answer, IReadOnlyList<string> categories)
    {
        var lines = answer.Trim().Split('\n');
        if (lines is ["safe"])
        {
            return new GuardVerdict.Safe();
        }

        if (lines is not ["unsafe", var named])
        {
            return new GuardVerdict.Unavailable(Unparsable);
        }

        var found = named.Split(',');
        return found.All(c => categories.Contains(c, StringComparer.Ordinal))
            ? new GuardVerdict.Unsafe([.. found.Distinct(StringComparer.Ordinal)])
            : new GuardVerdict.Unavailable(Unparsable);
    }
}
