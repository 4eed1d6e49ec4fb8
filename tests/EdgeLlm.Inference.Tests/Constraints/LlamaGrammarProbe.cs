using EdgeLlm.Inference.Runtime;
using LLama;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>
/// Asks llama.cpp's own GBNF parser whether it takes a grammar, through the daemon's own check
/// (<see cref="GrammarParseCheck"/>, the one every sequence's grammar passes before LLamaSharp's AddGrammar).
/// </summary>
internal sealed class LlamaGrammarProbe(LLamaWeights weights)
{
    public bool Accepts(string gbnf, string root) => GrammarParseCheck.Parses(weights.NativeHandle, gbnf, root);
}
