using System.Text.Json;
using EdgeLlm.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary><c>/api/generate</c>'s objects: the text as <c>response</c>.</summary>
internal sealed class OllamaGenerateFormat(string model, OllamaTimings timings) : OllamaAnswerFormat(model, timings)
{
    public override ContentHttpResult Preloaded(string doneReason) =>
        OllamaJson.Write(new OllamaGenerateChunk(Model, Timings.CreatedAt(), "", true, doneReason, Timings.TotalNanoseconds, Timings.LoadNanoseconds), OllamaJsonContext.Default.OllamaGenerateChunk);

    protected override string Piece(string text) =>
        JsonSerializer.Serialize(new OllamaGenerateChunk(Model, Timings.CreatedAt(), text, false), OllamaJsonContext.Default.OllamaGenerateChunk);

    protected override string Final(string text, string doneReason, UsageDto usage) =>
        JsonSerializer.Serialize(
            new OllamaGenerateChunk(
                Model, Timings.CreatedAt(), text, true, doneReason,
                Timings.TotalNanoseconds, Timings.LoadNanoseconds, usage.PromptTokens, Timings.PromptEvalNanoseconds, usage.CompletionTokens, Timings.EvalNanoseconds),
            OllamaJsonContext.Default.OllamaGenerateChunk);
}
