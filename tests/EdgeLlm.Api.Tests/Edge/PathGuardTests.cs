using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Edge;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Retrieval;
using EdgeLlm.Testing.Fuzzing;

namespace EdgeLlm.Api.Tests.Edge;

/// <summary>
/// Dot segments (plain or percent-encoded), encoded separators and NUL in a path are refused with 400
/// <c>invalid_path</c> before routing: <c>DELETE …/documents/%2E%2E</c> no longer reaches the collection's delete.
/// Sent over a raw socket, since HttpClient would normalise the path before it leaves.
/// </summary>
public sealed class PathGuardTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    public static TheoryData<string> RefusedSegments => new() { "%2E%2E", "%2e%2E", "%2e%2e", "..", ".%2E", "%2E", ".", "a%2Fb", "a%2fb", "%5C", "a%5cb" };

    [Theory]
    [InlineData("/v1/collections/x/documents/%2E%2E")]
    [InlineData("/v1/collections/x/documents/%2e%2E?x=1")]
    [InlineData("/v1/collections/x/./documents")]
    [InlineData("/v1/collections/x/documents/../..")]
    [InlineData("/v1/collections/a%2Fb")]
    [InlineData("/v1/collections/a%5Cb")]
    [InlineData("/v1/collections/a\\b")]
    [InlineData("/v1/collections/a%00")]
    [InlineData("http://127.0.0.1/v1/collections/x/documents/%2E%2E")]
    public void ATargetThatCouldChangeOrSmuggleItsPathIsRefused(string rawTarget) => Assert.True(PathGuard.IsRefused(rawTarget));

    [Theory]
    [InlineData("/v1/collections/x/documents/a.b")]
    [InlineData("/v1/collections/x/documents/...")]
    [InlineData("/v1/collections/x/documents/%252E%252E")]
    [InlineData("/v1/collections/x/documents/doc?after=%2E%2E&q=a%2Fb")]
    [InlineData("/v1/collections/x.y/documents/v1.2")]
    [InlineData("/healthz")]
    public void AnOrdinaryTargetPasses(string rawTarget) => Assert.False(PathGuard.IsRefused(rawTarget));

    [Theory]
    [MemberData(nameof(RefusedSegments))]
    public async Task ADeleteWithAHostileDocumentSegmentIsRefusedAndTheCollectionStays(string segment)
    {
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("guard-" + Guid.NewGuid().ToString("N")[..12]);
        await client.IngestTextAsync(collection, "pump", "The pump is serviced every week.");
        var before = await client.SnapshotAsync(collection);

        var answer = await SendRawAsync(HttpMethod.Delete, $"/v1/collections/{collection}/documents/{segment}", client.Key);

        Assert.Equal(400, answer.Status);
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal(ErrorCodes.InvalidPath, body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, await client.SnapshotAsync(collection));
    }

    [Fact]
    public async Task AnEncodedNulInThePathIsRefusedAndTheCollectionStays()
    {
        // Kestrel refuses a decoded NUL itself, before the guard; what matters is that nothing is deleted.
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("guard-nul-" + Guid.NewGuid().ToString("N")[..12]);
        await client.IngestTextAsync(collection, "pump", "The pump is serviced every week.");
        var before = await client.SnapshotAsync(collection);

        var answer = await SendRawAsync(HttpMethod.Delete, $"/v1/collections/{collection}/documents/pump%00", client.Key);

        Assert.Equal(400, answer.Status);
        Assert.Equal(before, await client.SnapshotAsync(collection));
    }

    [Fact]
    public async Task AnEncodedDotSegmentOutsideV1GetsAProblemDetailsRefusal()
    {
        var answer = await SendRawAsync(HttpMethod.Get, "/admin/%2E%2E/healthz", fixture.TenantA.Key);

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal(ErrorCodes.InvalidPath, body.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnOrdinaryDeleteSentTheSameWayStillWorks()
    {
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("guard-ok-" + Guid.NewGuid().ToString("N")[..12]);
        await client.IngestTextAsync(collection, "pump", "The pump is serviced every week.");

        var answer = await SendRawAsync(HttpMethod.Delete, $"/v1/collections/{collection}/documents/pump", client.Key);

        Assert.Equal(200, answer.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/collections/{collection}/documents/pump")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/collections/{collection}")).Status);
    }

    private Task<FuzzResponse> SendRawAsync(HttpMethod method, string rawPath, string key) =>
        RawHttpSender.SendAsync(fixture.Server.Address, "Bearer " + key, new FuzzCase("path-guard", 0, "raw path", method, rawPath, null, []), TimeSpan.FromSeconds(30), CancellationToken.None);
}
