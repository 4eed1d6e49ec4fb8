namespace EdgeLlm.Testing.Fuzzing;

/// <summary>What an endpoint takes as its body.</summary>
internal enum FuzzBodyKind
{
    /// <summary>No body (GET, DELETE): the path, the query and stray bodies are fuzzed.</summary>
    None,

    /// <summary>A JSON object; <see cref="FuzzTarget.ValidBody"/> is a valid one holding every field of the wire contract.</summary>
    Json,

    /// <summary><c>multipart/form-data</c> with files and metadata fields.</summary>
    Multipart,

    /// <summary>An opaque upload (a bundle's <c>.tar</c>).</summary>
    Binary,
}

/// <summary>
/// One endpoint and its contract: method, path (placeholders such as <c>{document}</c> are ids the fuzzer may replace
/// with hostile ones), the body it takes and a valid example body from which every case is derived.
/// </summary>
/// <param name="Name">Stable name, printed in reports (also seeds the cases, so renaming one changes its cases).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path with <c>{name}</c> placeholders for ids.</param>
/// <param name="BodyKind">What the endpoint reads.</param>
/// <param name="ValidBody">For <see cref="FuzzBodyKind.Json"/>: a valid body (every contract field present).</param>
/// <param name="Ids">The valid value of each placeholder in <paramref name="Path"/>.</param>
internal sealed record FuzzTarget(
    string Name,
    HttpMethod Method,
    string Path,
    FuzzBodyKind BodyKind,
    string? ValidBody = null,
    IReadOnlyDictionary<string, string>? Ids = null)
{
    /// <summary>The path with every placeholder replaced by its valid id (URL-escaped).</summary>
    public string ValidPath() =>
        (Ids ?? new Dictionary<string, string>()).Aggregate(Path, (path, id) => path.Replace("{" + id.Key + "}", Uri.EscapeDataString(id.Value), StringComparison.Ordinal));
}
