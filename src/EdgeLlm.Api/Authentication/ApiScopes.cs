namespace EdgeLlm.Api.Authentication;

/// <summary>
/// The scopes an API key can carry. Each is also the name of the authorization policy that requires it,
/// so an endpoint says <c>.RequireAuthorization(ApiScopes.Inference)</c>.
/// </summary>
/// <remarks>
/// Scopes are independent: <see cref="Admin"/> does not imply <see cref="Inference"/>. A key gets exactly
/// what the operator listed, so a key handed to a dashboard cannot quietly run prompts.
/// </remarks>
public static class ApiScopes
{
    /// <summary>Chat, completions, embeddings, model listing and retrieval search.</summary>
    public const string Inference = "inference";

    /// <summary>Creating collections and adding or removing documents.</summary>
    public const string Ingest = "ingest";

    /// <summary>Everything under <c>/admin/*</c>: models, updates, keys, telemetry state.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Not a scope but a policy: reading collections, documents and ingest jobs, allowed to keys with
    /// <see cref="Inference"/> or <see cref="Ingest"/> (a loader service must see what it loaded).
    /// </summary>
    public const string RetrievalReadPolicy = "retrieval-read";

    /// <summary>Every known scope, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [Inference, Ingest, Admin];

    /// <summary>Whether <paramref name="scope"/> is one of <see cref="All"/> (exact, lower-case match).</summary>
    public static bool IsKnown(string scope) => scope is Inference or Ingest or Admin;
}
