namespace EdgeLlm.Retrieval.Ingestion.Chunking;

/// <summary>
/// Chunks one section (see <see cref="DocumentChunker"/> for the rules). A cursor walks the section:
/// from it, take the most whole paragraphs that fit; if not even the rest of the current paragraph
/// fits, cut it at the last line or word end that fits and step back by the overlap.
/// </summary>
internal sealed class SectionChunker
{
    // No tokenizer averages anywhere near this many characters per token, so a longer span cannot fit;
    // refusing it uncounted keeps a megabyte-long paragraph from being tokenized whole at every cut.
    private const int MaxCharactersPerToken = 32;

    private readonly string _text;
    private readonly DocumentSection _section;
    private readonly string _prefix;
    private readonly ITokenCounter _tokenCounter;
    private readonly DocumentChunkerOptions _options;
    private readonly List<DocumentChunk> _chunks;
    private readonly Dictionary<(int Start, int End), int> _chunkTokens = [];
    private readonly int _maxSpanCharacters;

    public SectionChunker(string text, DocumentSection section, string prefix, ITokenCounter tokenCounter, DocumentChunkerOptions options, List<DocumentChunk> chunks)
    {
        _text = text;
        _section = section;
        _prefix = prefix;
        _tokenCounter = tokenCounter;
        _options = options;
        _chunks = chunks;
        _maxSpanCharacters = options.MaxTokens * MaxCharactersPerToken;
    }

    public void Run()
    {
        var paragraphs = TextBoundaries.Paragraphs(_text, _section.Start, _section.End);
        var next = 0;
        var cursor = paragraphs.Count > 0 ? paragraphs[0].Start : 0;

        // Set while the cursor is inside a paragraph that the previous chunk [cutStart, cutEnd) cut.
        (int Start, int End)? cut = null;
        while (next < paragraphs.Count)
        {
            var from = cursor;
            var whole = LargestFitting.Index(paragraphs.Count - next, i => Fits(from, paragraphs[next + i].End));
            if (whole >= 0)
            {
                var end = paragraphs[next + whole].End;
                Emit(cut is { } previous ? StartWithMinimum(previous.Start, cursor, end) : cursor, end);
                next += whole + 1;
                cursor = next < paragraphs.Count ? paragraphs[next].Start : cursor;
                cut = null;
                continue;
            }

            var paragraphEnd = paragraphs[next].End;
            var mustPass = cut?.End ?? cursor;
            var cutEnd = CutAtBoundary(cursor, mustPass, paragraphEnd);
            if (cutEnd < 0 && cursor < mustPass)
            {
                // The overlap and the next word together are too long: give up the overlap.
                cursor = TextBoundaries.SkipWhitespace(_text, mustPass, paragraphEnd);
                continue;
            }

            if (cutEnd < 0)
            {
                cutEnd = CutInsideWord(cursor, paragraphEnd);
            }

            Emit(cursor, cutEnd);
            cut = (cursor, cutEnd);
            cursor = OverlapStart(cursor, cutEnd, paragraphEnd);
        }
    }

    /// <summary>The last line end, else word end, past <paramref name="mustPass"/> at which [start, end) fits; -1 if none.</summary>
    private int CutAtBoundary(int start, int mustPass, int paragraphEnd)
    {
        var limit = Math.Min(paragraphEnd, start + _maxSpanCharacters);
        foreach (var ends in new[] { TextBoundaries.LineEnds(_text, start, limit), TextBoundaries.WordEnds(_text, start, limit) })
        {
            ends.RemoveAll(end => end <= mustPass || end >= paragraphEnd);
            var found = LargestFitting.Index(ends.Count, i => Fits(start, ends[i]));
            if (found >= 0)
            {
                return ends[found];
            }
        }

        return -1;
    }

    /// <summary>A single word longer than the budget: cut it at the last character that fits, at least one.</summary>
    private int CutInsideWord(int start, int paragraphEnd)
    {
        var limit = Math.Min(paragraphEnd, start + _maxSpanCharacters);
        var found = LargestFitting.Index(limit - start, i => Fits(start, start + 1 + i));
        var end = start + 1 + Math.Max(found, 0);

        // Never leave half a surrogate pair on either side.
        if (end < _text.Length && char.IsLowSurrogate(_text[end]))
        {
            end += end - 1 > start ? -1 : 1;
        }

        return end;
    }

    /// <summary>
    /// Where the chunk after a cut at <paramref name="cutEnd"/> starts: the earliest word start whose text
    /// up to the cut is within the overlap budget, or the cut itself when there is no overlap.
    /// </summary>
    private int OverlapStart(int cutStart, int cutEnd, int paragraphEnd)
    {
        var noOverlap = TextBoundaries.SkipWhitespace(_text, cutEnd, paragraphEnd);
        if (_options.OverlapTokens == 0)
        {
            return noOverlap;
        }

        var window = Math.Max(cutStart + 1, cutEnd - (_options.OverlapTokens * MaxCharactersPerToken));
        var starts = TextBoundaries.WordStarts(_text, window, cutEnd);
        starts.Reverse();
        var found = LargestFitting.Index(starts.Count, i => SpanTokens(starts[i], cutEnd) <= _options.OverlapTokens);
        return found >= 0 ? starts[found] : noOverlap;
    }

    /// <summary>
    /// Moves the start of a chunk that continues a cut paragraph back (after <paramref name="cutStart"/>)
    /// until its body has <see cref="DocumentChunkerOptions.MinTokens"/>, as far as it still fits.
    /// </summary>
    private int StartWithMinimum(int cutStart, int start, int end)
    {
        if (SpanTokens(start, end) >= _options.MinTokens)
        {
            return start;
        }

        var window = Math.Max(cutStart + 1, start - (_options.MinTokens * MaxCharactersPerToken));
        var starts = TextBoundaries.WordStarts(_text, window, start + 1);
        starts.Reverse();
        var belowMinimum = LargestFitting.Index(starts.Count, i => SpanTokens(starts[i], end) < _options.MinTokens);
        var candidate = Math.Min(belowMinimum + 1, starts.Count - 1);
        var fitting = LargestFitting.Index(candidate + 1, i => Fits(starts[i], end));
        return fitting >= 0 ? starts[fitting] : start;
    }

    private bool Fits(int start, int end)
    {
        if (end - start > _maxSpanCharacters)
        {
            return false;
        }

        if (!_chunkTokens.TryGetValue((start, end), out var tokens))
        {
            tokens = _tokenCounter.CountTokens(ChunkText(start, end));
            _chunkTokens[(start, end)] = tokens;
        }

        return tokens <= _options.MaxTokens;
    }

    private int SpanTokens(int start, int end) => _tokenCounter.CountTokens(_text[start..end]);

    private string ChunkText(int start, int end) => string.Concat(_prefix, _text.AsSpan(start, end - start));

    private void Emit(int start, int end)
    {
        var text = ChunkText(start, end);
        if (!_chunkTokens.TryGetValue((start, end), out var tokens))
        {
            tokens = _tokenCounter.CountTokens(text);
        }

        _chunks.Add(new DocumentChunk(_chunks.Count, text, _section.HeadingPath, start, end, tokens));
    }
}
