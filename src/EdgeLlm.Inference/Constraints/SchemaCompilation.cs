namespace EdgeLlm.Inference.Constraints;

/// <summary>The outcome of compiling a schema: exactly one of <see cref="Grammar"/> and <see cref="Rejection"/> is set.</summary>
public sealed record SchemaCompilation(OutputGrammar? Grammar, SchemaRejection? Rejection)
{
    public static SchemaCompilation Compiled(OutputGrammar grammar) => new(grammar, null);

    public static SchemaCompilation Refused(SchemaRejection rejection) => new(null, rejection);
}
