namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// Unwinds the recursive schema walk at the first refusal; <see cref="JsonSchemaGrammar"/> catches it and
/// returns the typed <see cref="SchemaRejection"/>. It never leaves this namespace.
/// </summary>
internal sealed class SchemaRejectedException(SchemaRejection rejection) : Exception(rejection.Message)
{
    public SchemaRejection Rejection { get; } = rejection;

    public static SchemaRejectedException At(string path, string keyword, string message) =>
        new(new SchemaRejection(path, keyword, message));
}
