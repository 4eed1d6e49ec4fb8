using System.Text;
using LLama;

namespace EdgeLlm.Inference.Models;

/// <summary>Text to tokens for one model. llama.cpp's tokenizer reads the vocabulary only, so this is safe from any thread.</summary>
public sealed class ModelTokenizer
{
    private readonly LLamaWeights _weights;

    internal ModelTokenizer(LLamaWeights weights)
    {
        _weights = weights;
        VocabularySize = weights.Vocab.Count;
        AddBos = weights.Vocab.ShouldAddBOS;
    }

    public int VocabularySize { get; }

    /// <summary>Whether the model expects a BOS token in front of a prompt.</summary>
    public bool AddBos { get; }

    /// <param name="text">The text.</param>
    /// <param name="parseSpecial">Parse control tokens written as text (chat templates need it; raw completions do not get it).</param>
    public int[] Tokenize(string text, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _weights.Tokenize(text, AddBos, parseSpecial, Encoding.UTF8).Select(t => (int)t).ToArray();
    }
}
