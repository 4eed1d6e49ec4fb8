using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeLlm.Api.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Contracts;

/// <summary>
/// Handlers return <c>Ok&lt;T&gt;</c>, <c>Created&lt;T&gt;</c> and <c>Accepted&lt;T&gt;</c>, which serialize with the
/// host's HTTP JSON options; the API sets those so the bytes are exactly the wire contract's (snake_case,
/// nulls written except where the contract leaves them out, dictionary keys as given, non-ASCII escaped).
/// </summary>
public sealed class TypedResultJsonTests
{
    private static readonly DateTimeOffset At = new(2024, 6, 3, 8, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public async Task AnOkResultWritesExactlyTheBytesOfTheContractContext()
    {
        await AssertSameBytesAsync(
            new CollectionDto("c_1", "collection", "Händler <ops>", null, "nomic-embed", 768, 1717403415, 3, 42),
            ApiJsonContext.Default.CollectionDto);
        await AssertSameBytesAsync(
            new EmbeddingResponse("list", [new EmbeddingItem("embedding", 0, JsonSerializer.SerializeToElement("AAA+/w==", ApiJsonContext.Default.String))], "stories260K", new EmbeddingUsage(3, 3)),
            ApiJsonContext.Default.EmbeddingResponse);
        await AssertSameBytesAsync(
            new DocumentList("list", [new DocumentDto("d-1", "document", "c_1", "Press \"HP-4200\"", null, "text/markdown", ["ops", "presses"], 1024, "ab12", 4, 1, 2, null)], HasMore: true),
            ApiJsonContext.Default.DocumentList);
        await AssertSameBytesAsync(
            new IngestJobDto("j_1", "ingest_job", "c_1", "d-1", "failed", 4, 1, new JobErrorDto("parse_failed", "Bad <html>"), 1, 2),
            ApiJsonContext.Default.IngestJobDto);
        await AssertSameBytesAsync(
            new UpdateStatusDto(
                [new InstalledItemDto("model", "Chat Model", new InstalledVersionDto("1.2", "/models/a.gguf", "b-7", "stable", 7, At), null, true, 0, null)],
                new Dictionary<string, string> { ["Chat Model"] = "/models/a.gguf" },
                null,
                [new UpdateEventDto(At, "installed", "b-7", "stable", 7, null, "Installed é.")],
                null,
                new UpdateNoteDto(At, "up_to_date", "Nothing newer."),
                new Dictionary<string, long> { ["Stable"] = 7 },
                ["ABCDEF0123456789"],
                new FeedStatusDto("stale", "update_feed_stale", "Expired é.", At, new ChannelIndexDto("stable", 7, At, At.AddDays(2)), At)),
            ApiJsonContext.Default.UpdateStatusDto);
        await AssertSameBytesAsync(
            new AdminStatusDto(
                new VersionsDto("1.0.0+abc", "10.0.0"),
                At,
                12,
                false,
                [],
                null,
                new OutboxStatusDto(0, 0, null, 0, 0, 0),
                new UplinkStatusDto(null, false, null, null, "refused", null),
                new UpdateChecksDto(null, new UpdateNoteDto(At, "feed_unreachable", "No route."), null),
                [new WorkerStatusDto("OutboxWorker", "restarting", At, 2, "IOException", "Disk <path> é.", At)],
                new StorageStatusDto(1024, 4096, At, 3),
                new MemoryStatusDto(8L << 30, 1L << 30, [16L << 30], [0]),
                new GuardrailsStatusDto("2026-12-03.1", ["acme"], "2026-12-03.2")),
            ApiJsonContext.Default.AdminStatusDto);
    }

    private static async Task AssertSameBytesAsync<T>(T value, JsonTypeInfo<T> contract)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddEdgeLlmApi();
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Response.Body = new MemoryStream();

        await TypedResults.Ok(value).ExecuteAsync(context);

        Assert.Equal(JsonSerializer.Serialize(value, contract), Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }
}
