using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Retrieval;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// A string that is not well-formed Unicode (a lone surrogate escape, or bytes that are not UTF-8) in any field of any
/// JSON endpoint is a 400 <c>invalid_text</c> whose <c>param</c> names the field, never a 500; the request changes nothing.
/// </summary>
public sealed class InvalidTextTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    public static TheoryData<string, string, string> LoneSurrogates => new()
    {
        { "/v1/completions", """{"prompt":"\ud800","max_tokens":2}""", "prompt" },
        { "/v1/completions", """{"prompt":["ab\udc00"],"max_tokens":2}""", "prompt[0]" },
        { "/v1/completions", """{"prompt":"Once","stop":["a","\ud800"],"max_tokens":2}""", "stop[1]" },
        { "/v1/completions", """{"prompt":"Once","stop":"x\udfff","max_tokens":2}""", "stop" },
        { "/v1/completions", """{"prompt":"Once","suffix":"\ud800","max_tokens":2}""", "suffix" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"\ud800"}],"max_tokens":2}""", "messages[0].content" },
        { "/v1/chat/completions", """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b\udfff"}]}],"max_tokens":2}""", "messages[1].content[1].text" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"\ud800","text":"a"}]}],"max_tokens":2}""", "messages[0].content[0].type" },
        { "/v1/chat/completions", """{"messages":[{"role":"\ud800","content":"Hi"}],"max_tokens":2}""", "messages[0].role" },
        { "/v1/chat/completions", """{"model":"\ud83d","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""", "model" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"stop":["\ud800"],"max_tokens":2}""", "stop[0]" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"\ud800"},"max_tokens":2}""", "response_format.type" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"retrieval":{"collection":"\ud800"},"max_tokens":2}""", "retrieval.collection" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"retrieval":{"collection":"x","filter":{"tags":["\udc00"]}},"max_tokens":2}""", "retrieval.filter.tags[0]" },
        { "/v1/embeddings", """{"input":["a","b","c","\ud800"]}""", "input[3]" },
        { "/v1/embeddings", """{"input":"\ud800"}""", "input" },
        { "/v1/embeddings", """{"input":"a","encoding_format":"\ud800"}""", "encoding_format" },
        { "/v1/collections", """{"name":"\ud800"}""", "name" },
        { "/v1/collections", """{"name":"fine","description":"\udfff"}""", "description" },
        { "/v1/collections/{c}/search", """{"query":"\ud800"}""", "query" },
        { "/v1/collections/{c}/search", """{"query":"pump","filter":{"document_ids":["\ud800"]}}""", "filter.document_ids[0]" },
        { "/v1/collections/{c}/documents", """{"text":"\ud800"}""", "text" },
        { "/v1/collections/{c}/documents", """{"text":"fine","tags":["a","\ud800"]}""", "tags[1]" },
        { "/v1/collections/{c}/documents", """{"text":"fine","title":"\udc00"}""", "title" },
    };

    public static TheoryData<string, string, string> InvalidUtf8 => new()
    {
        { "/v1/completions", """{"prompt":"@","max_tokens":2}""", "prompt" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"@"}],"max_tokens":2}""", "messages[0].content" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":[{"type":"text","text":"@"}]}],"max_tokens":2}""", "messages[0].content[0].text" },
        { "/v1/embeddings", """{"input":["ok","@"]}""", "input[1]" },
        { "/v1/collections", """{"name":"@"}""", "name" },
        { "/v1/collections/{c}/search", """{"query":"@"}""", "query" },
        { "/v1/collections/{c}/documents", """{"text":"@"}""", "text" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task ALoneSurrogateIsRefusedAsInvalidTextNamingItsField(string path, string body, string param)
    {
        var (answer, before, after) = await SendAsync(path, Encoding.UTF8.GetBytes(body));

        AssertInvalidText(answer, param);
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task BytesThatAreNotUtf8AreRefusedAsInvalidTextNamingTheirField(string path, string body, string param)
    {
        // '@' marks where the bytes go: an overlong '/', a lone continuation byte and an encoded surrogate.
        var at = body.IndexOf('@', StringComparison.Ordinal);
        byte[] bytes = [.. Encoding.UTF8.GetBytes(body[..at]), 0xC0, 0xAF, 0x80, 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes(body[(at + 1)..])];

        var (answer, before, after) = await SendAsync(path, bytes);

        AssertInvalidText(answer, param);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task WellFormedTextBesideTheRefusalsIsStillServed()
    {
        var (answer, _, _) = await SendAsync("/v1/completions", Encoding.UTF8.GetBytes("""{"prompt":"Once \ud83d\ude00 upon a time\u0000","max_tokens":2}"""));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
    }

    [Fact]
    public async Task ACollectionNameEndingInANewlineIsRefused()
    {
        var client = fixture.Client("tenant-newline", ApiScopes.Inference, ApiScopes.Ingest);
        await client.CreateCollectionAsync("manuals");

        var answer = await client.PostAsync("/v1/collections", new { name = "manuals\n" });
        var list = await client.GetAsync("/v1/collections");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(ErrorCodes.InvalidParameter, answer.ErrorCode);
        Assert.Equal(1, list.Json.GetProperty("data").GetArrayLength());
    }

    private static void AssertInvalidText(ApiAnswer answer, string param)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal(ErrorCodes.InvalidText, answer.ErrorCode);
        Assert.Equal(param, answer.Json.GetProperty("error").GetProperty("param").GetString());
    }

    /// <summary>Sends the body (with <c>{c}</c> in the path replaced by a collection holding one document); returns the answer and the collection before and after.</summary>
    private async Task<(ApiAnswer Answer, string Before, string After)> SendAsync(string path, byte[] body)
    {
        // A key of its own: each key has its own rate-limit bucket, and every case here makes several requests.
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("text-" + Guid.NewGuid().ToString("N")[..12]);
        await client.IngestTextAsync(collection, "pump", "The pump is serviced every week.");
        var before = await client.SnapshotAsync(collection);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var answer = await client.SendAsync(HttpMethod.Post, path.Replace("{c}", collection, StringComparison.Ordinal), content);

        return (answer, before, await client.SnapshotAsync(collection));
    }
}
