using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Batched;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>One conversation in the BatchedExecutor, with its own sampler chain and UTF-8 decoder.</summary>
internal sealed class LlamaSequence(Conversation conversation, SafeLLamaSamplerChainHandle sampler, StreamingTokenDecoder decoder, SafeLlamaModelHandle.Vocabulary vocabulary)
    : IEngineSequence
{
    public void Prompt(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length == 1)
        {
            conversation.Prompt((LLamaToken)tokens[0]);
            return;
        }

        var converted = new LLamaToken[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            converted[i] = tokens[i];
        }

        conversation.Prompt(converted.AsSpan());
    }

    public int Sample() => (int)conversation.Sample(sampler);

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(vocabulary);

    public string Detokenize(int token)
    {
        decoder.Add(token);
        return decoder.Read();
    }

    public void Dispose()
    {
        // Disposing the conversation removes its cells from the KV cache.
        conversation.Dispose();
        sampler.Dispose();
    }
}
