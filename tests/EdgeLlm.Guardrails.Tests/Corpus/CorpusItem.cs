namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>One entity the corpus planted, where it is in its item's text.</summary>
public sealed record LabelledEntity(string Family, int Start, int Length);

/// <summary>One text of the corpus and every entity in it that a detector should find.</summary>
public sealed record CorpusItem(string Text, IReadOnlyList<LabelledEntity> Entities);

/// <summary>Assembles one item's text, recording where each planted entity lands.</summary>
internal sealed class CorpusItemBuilder
{
    private readonly System.Text.StringBuilder _text = new();
    private readonly List<LabelledEntity> _entities = [];

    public CorpusItemBuilder Text(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <summary>An entity a detector should find (<paramref name="family"/>), or, with null, a look-alike it should not.</summary>
    public CorpusItemBuilder Entity(string? family, string value)
    {
        if (family is not null)
        {
            _entities.Add(new LabelledEntity(family, _text.Length, value.Length));
        }

        _text.Append(value);
        return this;
    }

    public CorpusItem Build() => new(_text.ToString(), _entities.ToArray());
}
