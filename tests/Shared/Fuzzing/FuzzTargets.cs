namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Every endpoint of the API with its contract (the request types of <c>src/EdgeLlm.Api/Contracts</c>, each field
/// present with a valid value). Generation asks for 1-2 tokens so valid cases stay cheap.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The targets for a daemon serving <paramref name="model"/> whose caller owns <paramref name="collection"/> (an existing collection id or name).</summary>
    public static IReadOnlyList<FuzzTarget> All(string model, string collection)
    {
        var inCollection = new Dictionary<string, string> { ["collection"] = collection };
        var document = new Dictionary<string, string> { ["collection"] = collection, ["document"] = "fuzz-doc" };
        return
        [
            new("chat", HttpMethod.Post, "/v1/chat/completions", FuzzBodyKind.Json, Chat(model)),
            new("chat-grounded", HttpMethod.Post, "/v1/chat/completions", FuzzBodyKind.Json, GroundedChat(model, collection)),
            new("completions", HttpMethod.Post, "/v1/completions", FuzzBodyKind.Json, Completion(model)),
            new("embeddings", HttpMethod.Post, "/v1/embeddings", FuzzBodyKind.Json,
                $$"""{"model":{{Quote(model)}},"input":["a pump","a valve"],"encoding_format":"float","dimensions":null,"user":"fuzz"}"""),
            new("models", HttpMethod.Get, "/v1/models", FuzzBodyKind.None),
            new("model", HttpMethod.Get, "/v1/models/{model}", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["model"] = model }),
            new("collections-create", HttpMethod.Post, "/v1/collections", FuzzBodyKind.Json, """{"name":"fuzz-made","description":"Made by the fuzzer."}"""),
            new("collections-list", HttpMethod.Get, "/v1/collections", FuzzBodyKind.None),
            new("collection-get", HttpMethod.Get, "/v1/collections/{collection}", FuzzBodyKind.None, Ids: inCollection),
            // Never the fuzzed collection itself: a hostile id must not reach it, a valid one deletes a collection made for it.
            new("collection-delete", HttpMethod.Delete, "/v1/collections/{collection}", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["collection"] = "fuzz-made" }),
            new("documents-upload-json", HttpMethod.Post, "/v1/collections/{collection}/documents", FuzzBodyKind.Json,
                """{"id":"fuzz-doc","text":"The pump is serviced every week.","content_type":"text/plain","title":"Pump","source":"manual","tags":["pump","weekly"]}""", inCollection),
            new("documents-upload-files", HttpMethod.Post, "/v1/collections/{collection}/documents", FuzzBodyKind.Multipart, Ids: inCollection),
            new("documents-list", HttpMethod.Get, "/v1/collections/{collection}/documents", FuzzBodyKind.None, Ids: inCollection),
            new("document-get", HttpMethod.Get, "/v1/collections/{collection}/documents/{document}", FuzzBodyKind.None, Ids: document),
            new("document-delete", HttpMethod.Delete, "/v1/collections/{collection}/documents/{document}", FuzzBodyKind.None,
                Ids: new Dictionary<string, string> { ["collection"] = collection, ["document"] = "fuzz-gone" }),
            new("job-get", HttpMethod.Get, "/v1/collections/{collection}/jobs/{job}", FuzzBodyKind.None,
                Ids: new Dictionary<string, string> { ["collection"] = collection, ["job"] = "job_00000000000000000000" }),
            new("search", HttpMethod.Post, "/v1/collections/{collection}/search", FuzzBodyKind.Json,
                """{"query":"pump service","top_k":3,"filter":{"document_ids":["fuzz-doc"],"tags":["pump"],"source":"manual"},"min_score":0.0,"mode":"hybrid"}""", inCollection),
            new("admin-updates", HttpMethod.Get, "/admin/updates", FuzzBodyKind.None),
            new("admin-updates-upload", HttpMethod.Post, "/admin/updates", FuzzBodyKind.Binary),
            new("admin-updates-check", HttpMethod.Post, "/admin/updates/check", FuzzBodyKind.None),
            new("admin-rollback", HttpMethod.Post, "/admin/models/{model}/rollback", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["model"] = model }),
            new("admin-status", HttpMethod.Get, "/admin/status", FuzzBodyKind.None),
            new("admin-model-load", HttpMethod.Post, "/admin/models/{model}/load", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["model"] = model }),
            new("admin-model-unload", HttpMethod.Post, "/admin/models/{model}/unload", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["model"] = model }),
            new("admin-keys-create", HttpMethod.Post, "/admin/keys", FuzzBodyKind.Json, """{"name":"fuzz-key","tenant":"fuzz","scopes":["inference"],"expires_at":"2099-01-01T00:00:00Z"}"""),
            new("admin-keys-list", HttpMethod.Get, "/admin/keys", FuzzBodyKind.None),
            new("admin-key-revoke", HttpMethod.Delete, "/admin/keys/{key}", FuzzBodyKind.None, Ids: new Dictionary<string, string> { ["key"] = "nosuchkey000" }),
            new("admin-audit", HttpMethod.Get, "/admin/audit", FuzzBodyKind.None),
            new("ollama-chat", HttpMethod.Post, "/api/chat", FuzzBodyKind.Json,
                $$$"""{"model":{{{Quote(model)}}},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Once upon"}],"stream":false,"format":null,"keep_alive":"5m","options":{"temperature":0.7,"top_p":0.9,"top_k":40,"seed":7,"num_predict":2,"stop":["END"],"repeat_penalty":1.1}}"""),
            new("ollama-generate", HttpMethod.Post, "/api/generate", FuzzBodyKind.Json,
                $$$"""{"model":{{{Quote(model)}}},"prompt":"Once upon a time","system":"Be brief.","raw":false,"stream":false,"keep_alive":30,"options":{"temperature":0,"num_predict":2,"min_p":0.05}}"""),
            new("ollama-embed", HttpMethod.Post, "/api/embed", FuzzBodyKind.Json, $$"""{"model":{{Quote(model)}},"input":["a pump","a valve"],"truncate":true}"""),
            new("ollama-embeddings", HttpMethod.Post, "/api/embeddings", FuzzBodyKind.Json, $$"""{"model":{{Quote(model)}},"prompt":"a pump"}"""),
            new("ollama-show", HttpMethod.Post, "/api/show", FuzzBodyKind.Json, $$"""{"model":{{Quote(model)}}}"""),
            new("ollama-tags", HttpMethod.Get, "/api/tags", FuzzBodyKind.None),
            new("ollama-ps", HttpMethod.Get, "/api/ps", FuzzBodyKind.None),
            new("healthz", HttpMethod.Get, "/healthz", FuzzBodyKind.None),
            new("readyz", HttpMethod.Get, "/readyz", FuzzBodyKind.None),
        ];
    }

    private static string Sampling(string model) =>
        $$""" "model":{{Quote(model)}},"temperature":0.7,"top_p":0.9,"top_k":40,"min_p":0.05,"repeat_penalty":1.1,"frequency_penalty":0.0,"presence_penalty":0.0,"seed":7,"stop":["\n\n","END"],"max_tokens":2,"n":1,"logprobs":false,"stream":false,"stream_options":{"include_usage":true},"response_format":{"type":"text"},"user":"fuzz" """;

    private static string Chat(string model) =>
        "{" + Sampling(model) + ""","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Once upon"},{"type":"text","text":" a time"}]}],"max_completion_tokens":1,"tools":[]}""";

    private static string GroundedChat(string model, string collection) =>
        "{" + Sampling(model) + ""","messages":[{"role":"user","content":"How often is the pump serviced?"}],"retrieval":{"collection":""" + Quote(collection)
        + ""","top_k":2,"filter":{"tags":["pump"]},"min_score":0.0,"mode":"hybrid"}}""";

    private static string Completion(string model) =>
        "{" + Sampling(model) + ""","prompt":"Once upon a time","echo":false,"suffix":null}""";

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
