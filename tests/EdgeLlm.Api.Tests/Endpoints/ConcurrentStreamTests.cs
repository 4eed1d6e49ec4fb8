using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Endpoints;

public sealed class ConcurrentStreamTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private static readonly string[] Prompts =
    [
        "Once upon a time, there was a little girl named Lily.",
        "Tom had a big red ball.",
        "The cat sat on the mat and",
        "One day, a bird flew into the park.",
        "Sue and her mom went to the store.",
        "The sun was hot, so Ben",
        "There was a tiny frog who",
        "Max liked to play in the mud.",
    ];

    [Fact]
    public async Task EightConcurrentStreamsEachWriteWhatTheyWriteAlone()
    {
        var expected = Prompts.Select(p => fixture.Reference.Generate(p, parseSpecial: false, maxTokens: 60).Text).ToArray();

        var streams = Prompts.Select(async prompt =>
        {
            using var response = await fixture.Server.PostJsonAsync("/v1/completions", System.Text.Json.JsonSerializer.Serialize(new { prompt, max_tokens = 60, temperature = 0, stream = true }));
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return await SseReader.ReadAsync(response);
        }).ToArray();
        var results = await Task.WhenAll(streams);

        // The scheduler's own high-water mark, rather than sampling from a test thread a busy machine may not run in time.
        var peak = fixture.Server.Model.Scheduler.Snapshot.PeakActive;
        Assert.True(peak >= 2, $"the streams should have been decoded together; at most {peak} were active at once");

        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.True(results[i].Done, $"stream {i} did not end with [DONE]");
            Assert.Equal(expected[i], results[i].Text);
        }
    }
}
