using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// How one detector family is used: whether it runs, the score a hit needs to count, the words that make a nearby hit
/// strong, and the action in each direction. A family the document leaves out is not enabled.
/// </summary>
/// <param name="Family">As <see cref="Detection.IEntityDetector.Family"/>: <c>email</c> … <c>mac</c>, or <c>custom:&lt;name&gt;</c>.</param>
/// <param name="Enabled">Whether the detector runs at all (true unless the document says false).</param>
/// <param name="MinScore">A hit scoring below this (0 to 1) is ignored.</param>
/// <param name="ContextWords">Words that, near a hit, make it strong (<c>card</c>, <c>iban</c>, <c>e-mail</c>).</param>
/// <param name="Input">The action on the caller's prompt.</param>
/// <param name="Output">The action on the model's answer.</param>
/// <param name="Retrieved">The action on retrieved context and on documents being ingested.</param>
/// <param name="Pattern">A custom family's pattern; null for the built-in families.</param>
public sealed record DetectorPolicy(
    string Family,
    bool Enabled,
    double MinScore,
    IReadOnlyList<string> ContextWords,
    GuardrailAction Input,
    GuardrailAction Output,
    GuardrailAction Retrieved,
    CustomPattern? Pattern = null)
{
    public GuardrailAction ActionFor(GuardrailDirection direction) => direction switch
    {
        GuardrailDirection.Input => Input,
        GuardrailDirection.Output => Output,
        _ => Retrieved,
    };
}

/// <summary>
/// A custom family's pattern (national IDs, employee numbers): compiled with the non-backtracking engine, so matching
/// is linear in the text whatever the pattern.
/// </summary>
/// <param name="Name">The pattern's name; its family is <c>custom:&lt;name&gt;</c>, its placeholder <c>[&lt;NAME&gt;_1]</c>.</param>
/// <param name="Regex">The compiled pattern.</param>
/// <param name="Checksum">The check a hit must pass to score strong.</param>
/// <param name="MaxLength">The longest text one hit can span, in characters: what the streaming filter holds back for this family.</param>
public sealed record CustomPattern(string Name, Regex Regex, PatternChecksum Checksum, int MaxLength);
