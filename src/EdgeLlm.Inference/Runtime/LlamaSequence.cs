using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// One sequence of the engine's context: its id, next position and where its logits land in the batch,
/// with a UTF-8 decoder and its own <see cref="TokenSampler"/>.
/// </summary>
internal sealed class LlamaSequence(LlamaEngine engine, LLamaSeqId id, TokenSampler sampler, StreamingTokenDecoder decoder)
    : IEngineSequence
{
    private int _position;
    private int _logitIndex = -1;
    private bool _disposed;

    public void Prompt(ReadOnlySpan<int> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var index = engine.Add(tokens[i], _position++, id, i == tokens.Length - 1);
            if (i == tokens.Length - 1)
            {
                _logitIndex = index;
            }
        }
    }

    public SampledToken Sample() => sampler.Sample(engine.Handle, _logitIndex);

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(engine.Vocabulary);

    public string Detokenize(int token)
    {
        decoder.Add(token);
        return sampler.Observe(decoder.Read());
    }

    public byte[] TokenBytes(int token) => engine.TokenBytes(token);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        engine.Release(id);
        sampler.Dispose();
    }
}
