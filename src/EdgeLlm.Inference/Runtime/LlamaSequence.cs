using EdgeLlm.Inference.PrefixReuse;
using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// One sequence of the engine's context: its id, the tokens its cells hold (positions 0..n-1, the start of them maybe
/// shared with a kept prefix) and where its logits land in the batch, with a UTF-8 decoder and its own
/// <see cref="TokenSampler"/>.
/// </summary>
internal sealed class LlamaSequence : IEngineSequence
{
    private readonly LlamaEngine _engine;
    private readonly int _id;
    private readonly int _reservation;
    private readonly TokenSampler _sampler;
    private readonly StreamingTokenDecoder _decoder;
    private readonly List<int> _history;
    private int _logitIndex = -1;
    private bool _ended;

    public LlamaSequence(LlamaEngine engine, PrefixStart start, int reservation, int[] prompt, TokenSampler sampler, StreamingTokenDecoder decoder)
    {
        _engine = engine;
        _id = start.Id;
        _reservation = reservation;
        _sampler = sampler;
        _decoder = decoder;
        _history = new List<int>(reservation);
        _history.AddRange(prompt.AsSpan(0, start.ReusedTokens));
        ReusedPromptTokens = start.ReusedTokens;
    }

    public int ReusedPromptTokens { get; }

    public void Prompt(ReadOnlySpan<int> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var index = _engine.Add(tokens[i], _history.Count, (LLamaSeqId)_id, i == tokens.Length - 1);
            _history.Add(tokens[i]);
            if (i == tokens.Length - 1)
            {
                _logitIndex = index;
            }
        }
    }

    public SampledToken Sample() => _sampler.Sample(_engine.Handle, _logitIndex);

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_engine.Vocabulary);

    public string Detokenize(int token)
    {
        _decoder.Add(token);
        return _sampler.Observe(_decoder.Read());
    }

    public byte[] TokenBytes(int token) => _engine.TokenBytes(token);

    public void End(bool keepForReuse)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _engine.Cache.End(_id, _reservation, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_history), keepForReuse);
        _sampler.Dispose();
    }

    public void Dispose() => End(keepForReuse: false);
}
