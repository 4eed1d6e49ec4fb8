using System.Net;
using System.Text;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Guardrails;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using OllamaSharp.Models.Exceptions;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>The guardrail policy and its tenants apply on <c>/api</c> as on <c>/v1</c>: input screened, answers filtered per tenant.</summary>
public sealed class OllamaGuardrailTests(GuardrailServerFixture fixture) : IClassFixture<GuardrailServerFixture>
{
    private const string Story = "Once upon a time, there was a little girl named Lily.";

    [Fact]
    public async Task ADeniedWordInAChatIsRefusedAndTheClientReadsWhichRule()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Plain.Key);

        var refused = await Assert.ThrowsAsync<OllamaException>(async () =>
        {
            await foreach (var _ in ollama.ChatAsync(new ChatRequest { Model = OllamaClients.Model, Messages = [new Message(ChatRole.User, "Tell me about zorblax.")] }))
            {
            }
        });

        Assert.Contains("forbidden-topic", refused.Message);
    }

    [Fact]
    public async Task ADeniedWordInAnEmbeddingInputIsRefused()
    {
        using var response = await fixture.Server.PostJsonAsync("/api/embed", """{"model":"stories260K","input":["a dog","zorblax"]}""", fixture.Plain.Key);
        var error = await Support.InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ContentBlocked, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AStreamedAnswerEndsWithContentFilterForTheTenantWhosePolicyDeniesItsWords()
    {
        var (strict, strictDone) = await GenerateAsync(fixture.Strict.Key);
        var (plain, plainDone) = await GenerateAsync(fixture.Plain.Key);

        Assert.Equal("content_filter", strictDone.DoneReason);
        Assert.NotEqual("content_filter", plainDone.DoneReason);
        Assert.StartsWith(strict, plain, StringComparison.Ordinal);
        Assert.True(strict.Length < plain.Length);
    }

    private async Task<(string Text, GenerateDoneResponseStream Done)> GenerateAsync(string key)
    {
        using var ollama = OllamaClients.For(fixture.Server, key);
        var text = new StringBuilder();
        GenerateDoneResponseStream? done = null;
        await foreach (var chunk in ollama.GenerateAsync(new GenerateRequest { Model = OllamaClients.Model, Prompt = Story, Raw = true, Options = new RequestOptions { Temperature = 0, NumPredict = 120 } }))
        {
            text.Append(chunk!.Response);
            done = chunk as GenerateDoneResponseStream ?? done;
        }

        return (text.ToString(), done!);
    }
}
