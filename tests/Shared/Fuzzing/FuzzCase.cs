namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// One request the fuzzer sends. <see cref="RawPath"/> goes on the request line exactly as written (hostile escapes
/// included); when <see cref="DeclaredLength"/> exceeds the body, the client claims that length, sends less and
/// closes its side, as a client cut off half-way does.
/// </summary>
/// <param name="Target">The target's name.</param>
/// <param name="Index">The case's number within its target: with the seed, all that is needed to make it again.</param>
/// <param name="Mutation">What was done to the valid request, for a person reading a failure.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="RawPath">Path and query as sent.</param>
/// <param name="ContentType">The <c>Content-Type</c> header, or null for none.</param>
/// <param name="Body">The bytes sent.</param>
/// <param name="DeclaredLength">A <c>Content-Length</c> larger than the body, or null for the true length.</param>
internal sealed record FuzzCase(
    string Target,
    int Index,
    string Mutation,
    HttpMethod Method,
    string RawPath,
    string? ContentType,
    byte[] Body,
    long? DeclaredLength = null)
{
    /// <summary>Whether only a hand-written request can carry it: HttpClient would normalise the path or refuse the framing.</summary>
    public bool NeedsRawSocket { get; init; }

    /// <summary>The body as text for a report, cut to <paramref name="max"/> characters (bytes that are not UTF-8 show as U+FFFD).</summary>
    public string BodyPreview(int max = 600)
    {
        var text = System.Text.Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, max * 4));
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"… ({Body.Length} bytes)");
    }
}
