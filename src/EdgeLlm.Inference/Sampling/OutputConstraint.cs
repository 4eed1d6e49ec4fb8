using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Sampling;

/// <summary>
/// A grammar the generated text must follow, enforced token by token by the sequence's sampler. Without a
/// <paramref name="Trigger"/> it binds from the first token; with one, the text is free until it contains the
/// trigger (a tool-call marker), and the grammar binds what follows.
/// </summary>
/// <param name="Grammar">GBNF in llama.cpp's dialect.</param>
/// <param name="Trigger">The text that switches the grammar on; null: on from the start.</param>
public sealed record OutputConstraint(OutputGrammar Grammar, string? Trigger = null);
