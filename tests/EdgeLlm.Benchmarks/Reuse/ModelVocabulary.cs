using System.Text;
using EdgeLlm.Benchmarks.LlamaCpp;
using LLama;
using LLama.Common;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// The served file's tokenizer, loaded vocabulary-only in this process (no weights, no context), so prompts are cut to a
/// token count the daemon will agree with and answers can be compared token by token.
/// </summary>
internal sealed class ModelVocabulary : IDisposable
{
    private readonly LLamaWeights _weights;

    public ModelVocabulary(string modelPath)
    {
        NativeLog.ErrorsOnly();
        _weights = LLamaWeights.LoadFromFile(new ModelParams(modelPath) { VocabOnly = true });
    }

    /// <summary>The tokens of <paramref name="text"/>, without the start token (as it continues a prompt).</summary>
    public int[] Tokens(string text) => [.. _weights.Tokenize(text, false, false, Encoding.UTF8).Select(t => (int)t)];

    public int Count(string text) => Tokens(text).Length;

    public void Dispose() => _weights.Dispose();
}
