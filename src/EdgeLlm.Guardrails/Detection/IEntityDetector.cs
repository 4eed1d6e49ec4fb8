namespace EdgeLlm.Guardrails.Detection;

/// <summary>Finds one family of sensitive entities (e-mail addresses, card numbers, …) in text.</summary>
public interface IEntityDetector
{
    /// <summary>The family this detector finds: <c>email</c>, <c>phone</c>, <c>iban</c>, <c>card</c>, <c>ipv4</c>, <c>ipv6</c>, <c>mac</c>, or <c>custom:&lt;name&gt;</c>.</summary>
    string Family { get; }

    /// <summary>
    /// The longest text one match can span, in characters: what a streaming filter must hold back so an entity split
    /// across tokens is still found whole.
    /// </summary>
    int MaxMatchLength { get; }

    /// <summary>Every entity of this family in <paramref name="text"/>, in order, not overlapping.</summary>
    IEnumerable<EntityMatch> Find(string text);
}

/// <summary>
/// One entity found: its family, where it is (UTF-16 offsets) and how sure the detector is, from 0 to 1: format alone
/// is weak, a valid checksum or a context word nearby makes it strong.
/// </summary>
public sealed record EntityMatch(string Family, int Start, int Length, double Score)
{
    public int End => Start + Length;
}
