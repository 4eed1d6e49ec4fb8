using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Endpoints.Ollama;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Api.Tests.Ollama;

public sealed class OllamaAnswerFormatTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 20, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TheFinalObjectCarriesTheCountsAndTheDurationsInNanoseconds()
    {
        var timings = new OllamaTimings(_time);
        ICompletionFormat format = new OllamaChatFormat("stories260K:latest", timings);
        _time.Advance(TimeSpan.FromMilliseconds(30));
        timings.ModelReady();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        format.Finished(new GenerationUsage(12, 5, QueueTime: TimeSpan.FromMilliseconds(10), TimeToFirstToken: TimeSpan.FromMilliseconds(40)));

        var final = JsonDocument.Parse(Assert.Single(format.Closing("length", new UsageDto(12, 5, 17, new PromptTokensDetailsDto(0))))).RootElement;

        Assert.True(final.GetProperty("done").GetBoolean());
        Assert.Equal("length", final.GetProperty("done_reason").GetString());
        Assert.Equal(12, final.GetProperty("prompt_eval_count").GetInt32());
        Assert.Equal(5, final.GetProperty("eval_count").GetInt32());
        Assert.Equal(130_000_000, final.GetProperty("total_duration").GetInt64());
        Assert.Equal(30_000_000, final.GetProperty("load_duration").GetInt64());
        Assert.Equal(30_000_000, final.GetProperty("prompt_eval_duration").GetInt64());
        Assert.Equal(60_000_000, final.GetProperty("eval_duration").GetInt64());
        Assert.Equal("", final.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("2026-12-03T20:00:00.1300000Z", final.GetProperty("created_at").GetString());
    }

    [Fact]
    public void APieceCarriesOnlyItsTextAndAnEmptyPieceIsNotSent()
    {
        ICompletionFormat format = new OllamaGenerateFormat("m", new OllamaTimings(_time));

        var piece = JsonDocument.Parse(format.Delta("Once", null)!).RootElement;

        Assert.Null(format.Delta("", null));
        Assert.Equal(["model", "created_at", "response", "done"], piece.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Once", piece.GetProperty("response").GetString());
        Assert.False(piece.GetProperty("done").GetBoolean());
    }

    [Fact]
    public void TheStreamIsNewlineDelimitedJsonAndAFailureInItIsOllamasErrorObject()
    {
        ICompletionFormat format = new OllamaGenerateFormat("m", new OllamaTimings(_time));

        var error = JsonDocument.Parse(format.StreamError(new ApiError(504, ErrorCodes.RequestTimeout, "The request ran past the limit."))).RootElement;

        Assert.Equal(StreamFraming.NewlineDelimitedJson, format.Framing);
        Assert.Null(format.Opening());
        Assert.Equal("The request ran past the limit.", error.GetProperty("error").GetString());
        Assert.Equal(ErrorCodes.RequestTimeout, error.GetProperty("code").GetString());
    }

    [Fact]
    public void TheOpenAiFormatsKeepServerSentEventsAndTheirErrorShape()
    {
        ICompletionFormat format = new TextCompletionFormat("m", 0);

        var error = JsonDocument.Parse(format.StreamError(new ApiError(504, ErrorCodes.RequestTimeout, "late"))).RootElement;

        Assert.Equal(StreamFraming.ServerSentEvents, format.Framing);
        Assert.Equal(ErrorCodes.RequestTimeout, error.GetProperty("error").GetProperty("code").GetString());
    }
}
