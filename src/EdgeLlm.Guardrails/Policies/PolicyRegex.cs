using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Compiles a policy's regular expressions on .NET's non-backtracking engine: matching is linear in the text, so a
/// catastrophic pattern such as <c>^(a+)+$</c> costs no more than any other. The engine refuses what it cannot run in
/// linear time (backreferences, lookarounds, atomic groups, conditionals, <c>\G</c>, counted repetitions that unroll
/// past its size limit); so does the policy, rather than
/// falling back to a backtracking engine under a timeout that a hostile input would hit on every request.
/// </summary>
internal static class PolicyRegex
{
    public static bool TryCompile(string pattern, RegexOptions extra, [NotNullWhen(true)] out Regex? regex, [NotNullWhen(false)] out string? problem)
    {
        regex = null;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | extra);
            problem = null;
            return true;
        }
        catch (RegexParseException ex)
        {
            // Error and offset only: the exception's message repeats the pattern, which may be sensitive.
            problem = $"not a valid regular expression ({ex.Error} at offset {ex.Offset})";
        }
        catch (NotSupportedException ex)
        {
            // The engine names the construct (backreference, lookaround, atomic group, conditional, \G) or the size its
            // counted repetitions would unroll to; neither repeats the pattern.
            problem = "the linear-time (non-backtracking) engine cannot run it: " + ex.Message;
        }

        return false;
    }
}
