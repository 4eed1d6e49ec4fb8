using System.Text;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Makes case <c>index</c> of a target from a seed, the same every time: a valid request now and then, and
/// otherwise a hostile body, path, query, content type or a body cut off half-way.
/// </summary>
internal static class FuzzCaseGenerator
{
    private static readonly string[] WrongJsonTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/jsonx", "application/json; charset=utf-16",
        "application/xml", "*/*", "application/json; charset=\"", "application/json;;;", "", "APPLICATION/JSON",
    ];

    public static FuzzCase Create(FuzzTarget target, int index, int seed)
    {
        var random = new Random(CaseSeed(seed, target.Name, index));
        var path = target.ValidPath();
        var (body, contentType, mutation) = ValidBody(target, random);
        var roll = random.Next(100);
        if (roll < 8)
        {
            return Case(target, index, "valid", path, contentType, body);
        }

        if (roll < 20 && target.Ids is { Count: > 0 } ids)
        {
            var id = ids.Keys.ElementAt(random.Next(ids.Count));
            var hostile = random.Pick(HostileValues.PathIds);
            var rawPath = ids.Aggregate(target.Path, (p, pair) => p.Replace("{" + pair.Key + "}", pair.Key == id ? hostile : Uri.EscapeDataString(pair.Value), StringComparison.Ordinal));
            return Case(target, index, $"hostile {id} {hostile}", rawPath, contentType, body) with { NeedsRawSocket = true };
        }

        if (roll < 26)
        {
            var suffix = random.Pick(["/..", "/%2E%2E", "/%2e", "/.", "//", "/%2F", "/%5C..", "/x/../..", "/%00"]);
            return Case(target, index, "path suffix " + suffix, path + suffix, contentType, body) with { NeedsRawSocket = true };
        }

        if (roll < 34)
        {
            var query = random.Pick(HostileValues.Queries);
            return Case(target, index, "query " + query[..Math.Min(query.Length, 40)], path + query, contentType, body) with { NeedsRawSocket = true };
        }

        if (roll < 44 && body.Length > 0)
        {
            var cut = random.Next(0, body.Length);
            return random.Next(2) == 0
                ? Case(target, index, $"{mutation}, cut at byte {cut} of {body.Length}", path, contentType, body[..cut])
                : Case(target, index, $"{mutation}, {cut} of {body.Length} declared bytes sent", path, contentType, body[..cut]) with { DeclaredLength = body.Length, NeedsRawSocket = true };
        }

        if (roll < 52)
        {
            var wrong = random.Pick(WrongJsonTypes);
            return Case(target, index, $"{mutation}, content type '{wrong}'", path, wrong.Length == 0 ? null : wrong, body);
        }

        switch (target.BodyKind)
        {
            case FuzzBodyKind.Json:
                var (json, jsonMutation) = JsonMutator.Mutate(target.ValidBody!, random);
                return Case(target, index, jsonMutation, path, "application/json", json);
            case FuzzBodyKind.Multipart:
                var (form, formType, formMutation) = MultipartMutator.Create(random);
                return Case(target, index, formMutation, path, formType, form);
            case FuzzBodyKind.Binary:
                var (bytes, bytesType, bytesMutation) = MultipartMutator.Binary(random);
                return Case(target, index, bytesMutation, path, bytesType, bytes);
            default:
                // A body where none is read: JSON garbage or huge bytes must change nothing.
                var stray = random.Next(2) == 0 ? JsonMutator.Mutate("""{"name":"x","limit":1}""", random).Body : new byte[random.Next(0, 70_000)];
                return Case(target, index, "stray body", path, "application/json", stray);
        }
    }

    /// <summary>The valid body of the target (empty for targets without one).</summary>
    private static (byte[] Body, string? ContentType, string Mutation) ValidBody(FuzzTarget target, Random random) => target.BodyKind switch
    {
        FuzzBodyKind.Json => (Encoding.UTF8.GetBytes(target.ValidBody!), "application/json", "valid body"),
        FuzzBodyKind.Multipart => Multipart(random),
        FuzzBodyKind.Binary => MultipartMutator.Binary(random),
        _ => ([], null, "no body"),
    };

    private static (byte[] Body, string? ContentType, string Mutation) Multipart(Random random)
    {
        var (body, contentType, mutation) = MultipartMutator.Create(random);
        return (body, contentType, mutation);
    }

    private static FuzzCase Case(FuzzTarget target, int index, string mutation, string rawPath, string? contentType, byte[] body) =>
        new(target.Name, index, mutation, target.Method, rawPath, contentType, body);

    /// <summary>A seed for one case that does not depend on the process (string.GetHashCode does).</summary>
    private static int CaseSeed(int seed, string target, int index)
    {
        var hash = (uint)seed * 2654435761u;
        foreach (var c in target)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)((hash ^ (uint)index) * 2246822519u);
    }
}
