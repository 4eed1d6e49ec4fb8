namespace EdgeLlm.Inference.Constraints;

/// <summary>A grammar in llama.cpp's GBNF dialect, ready for a grammar sampler.</summary>
/// <param name="Gbnf">The rules, one <c>name ::= body</c> per line.</param>
/// <param name="Root">The start rule.</param>
public sealed record OutputGrammar(string Gbnf, string Root = "root");
