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
    private readonly List<int> _outputs = [];
    private int _nextOutput;
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
        _outputs.Clear();
        _nextOutput = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            Add(tokens[i], i == tokens.Length - 1);
        }
    }

    public void Propose(int token, ReadOnlySpan<int> drafts)
    {
        _outputs.Clear();
        _nextOutput = 0;
        Add(token, logits: true);
        foreach (var draft in drafts)
        {
            Add(draft, logits: true);
        }
    }

    public void Rollback(int count)
    {
        if (count <= 0)
        {
            return;
        }

        _engine.Cache.Trim(_id, _history.Count - count);
        _history.RemoveRange(_history.Count - count, count);
    }

    public SampledToken Sample() => _sampler.Sample(_engine.Handle, _outputs[Math.Min(_nextOutput++, _outputs.Count - 1)]);

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

    private void Add(int token, bool logits)
    {
        var index = _engine.Add(token, _history.Count, (LLamaSeqId)_id, logits);
        _history.Add(token);
        if (logits)
        {
            _outputs.Add(index);
        }
    }
}
