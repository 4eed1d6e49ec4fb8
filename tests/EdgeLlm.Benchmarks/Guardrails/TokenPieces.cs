using System.Text;
using EdgeLlm.Inference.Models;
using LLama;
using LLama.Common;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// A text cut into the pieces a model would stream for it: tokenised by the served model's tokenizer, each token
/// rendered as the scheduler renders it (a UTF-8 decoder that holds a partial character until it is whole).
/// </summary>
internal static class TokenPieces
{
    /// <summary>The non-empty pieces of <paramref name="text"/>; they join to the text (SentencePiece adds one leading space).</summary>
    /// <exception cref="InvalidOperationException">The pieces do not join to the text.</exception>
    public static IReadOnlyList<string> Of(LoadedModel model, string text)
    {
        var tokens = model.Tokenizer.Tokenize(text, parseSpecial: false);

        // The served model's weights are private to it; a vocabulary-only load of the same file renders the tokens.
        using var vocabulary = LLamaWeights.LoadFromFile(new ModelParams(model.FilePath) { VocabOnly = true });
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, vocabulary);
        var pieces = new List<string>(tokens.Length);
        foreach (var token in tokens.Skip(model.Tokenizer.AddBos ? 1 : 0))
        {
            decoder.Add(token);
            var piece = decoder.Read();
            if (piece.Length > 0)
            {
                pieces.Add(piece);
            }
        }

        var joined = string.Concat(pieces);
        if (joined != text && joined != " " + text)
        {
            throw new InvalidOperationException($"The {pieces.Count} token pieces do not join to the text ({joined.Length} characters, not {text.Length}).");
        }

        return pieces;
    }
}
