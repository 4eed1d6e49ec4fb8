// TEMPORARY — DELETE AT MERGE. Copies of the contract's records owned by the grammar helper
// (src/EdgeLlm.Inference/Constraints/), here only so the tools part compiles on its own branch.
// The shapes are exactly the contract's; the real files replace this one.
namespace EdgeLlm.Inference.Constraints;

/// <summary>GBNF text in llama.cpp's dialect; Root names the start rule.</summary>
public sealed record OutputGrammar(string Gbnf, string Root = "root");

/// <summary>Why a schema was refused: the path inside the schema, the offending keyword, and a message.</summary>
public sealed record SchemaRejection(string Path, string Keyword, string Message);

/// <summary>Exactly one of Grammar / Rejection is set.</summary>
public sealed record SchemaCompilation(OutputGrammar? Grammar, SchemaRejection? Rejection);
