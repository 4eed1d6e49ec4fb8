using System.Text.Json;
using EdgeLlm.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary><c>/api/chat</c>'s objects: the text as the assistant's <c>message</c>.</summary>
internal sealed class OllamaChatFormat(string model, OllamaTimings timings) : OllamaAnswerFormat(model, timings)
{
    public override ContentHttpResult Preloaded(string doneReason) =>
        OllamaJson.Write(new OllamaChatChunk(Model, Timings.CreatedAt(), new OllamaMessageOut("assistant", ""), true, doneReason, Timings.TotalNanoseconds, Timings.LoadNanoseconds), OllamaJsonContext.Default.OllamaChatChunk);

    protected override string Piece(string text) =>
        JsonSerializer.Serialize(new OllamaChatChunk(Model, Timings.CreatedAt(), new OllamaMessageOut("assistant", text), false), OllamaJsonContext.Default.OllamaChatChunk);

    protected override string Final(string text, string doneReason, UsageDto usage) =>
        JsonSerializer.Serialize(
            new OllamaChatChunk(
                Model, Timings.CreatedAt(), new OllamaMessageOut("assistant", text), true, doneReason,
                Timings.TotalNanoseconds, Timings.LoadNanoseconds, usage.PromptTokens, Timings.PromptEvalNanoseconds, usage.CompletionTokens, Timings.EvalNanoseconds),
            OllamaJsonContext.Default.OllamaChatChunk);
}
