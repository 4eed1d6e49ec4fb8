using System.Numerics.Tensors;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Chooses one sequence's next token. Plain greedy decoding is a SIMD argmax and other sampling the native chain,
/// as without a grammar. A grammar adds llama.cpp's reject-then-resample order: the token the sampling picks is
/// checked against the grammar alone, and only when the grammar refuses it is the grammar applied to the whole
/// vocabulary and the choice made again among the tokens it allows. Log-probabilities, when asked for, come from
/// the logits after the grammar, which then always masks the whole vocabulary.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly SafeLlamaModelHandle _model;
    private readonly SafeLLamaSamplerChainHandle? _chain;
    private readonly OutputConstraint? _constraint;
    private readonly int? _topLogprobs;
    private readonly LLamaTokenData[] _one = new LLamaTokenData[1];
    private LLamaTokenData[]? _candidates;
    private float[]? _masked;
    private SafeLLamaSamplerChainHandle? _grammar;

    // A lazy grammar llama.cpp refused when its trigger came: the sequence can only end with an error.
    private bool _broken;

    // The end of the text so far, as long as a trigger that is not complete yet can reach back.
    private string _recent = "";

    public TokenSampler(SafeLlamaModelHandle model, SamplingParameters sampling, OutputConstraint? constraint, int? topLogprobs)
    {
        _model = model;
        _constraint = constraint;
        _topLogprobs = topLogprobs;
        _chain = SamplerChainFactory.Create(sampling);
        if (constraint is { Trigger: null })
        {
            _grammar = CreateGrammar(constraint.Grammar);
        }
    }

    /// <summary>The next token from the logits at <paramref name="index"/> of the last decode; -1 when the grammar allows none.</summary>
    public SampledToken Sample(SafeLLamaContextHandle context, int index)
    {
        if (_broken)
        {
            return new SampledToken(-1);
        }

        if (_grammar is null && _topLogprobs is null)
        {
            return new SampledToken(_chain is null ? TensorPrimitives.IndexOfMax(context.GetLogitsIth(index)) : (int)_chain.Sample(context, index));
        }

        var logits = context.GetLogitsIth(index);
        if (_grammar is null)
        {
            var free = _chain is null ? TensorPrimitives.IndexOfMax(logits) : (int)_chain.Sample(context, index);
            return WithLogprobs(free, logits);
        }

        // Log-probabilities need the grammar over the whole vocabulary anyway; otherwise the picked token is checked alone.
        ReadOnlySpan<float> seen = [];
        var token = _topLogprobs is null ? Choose(logits) : -1;
        if (_topLogprobs is not null || !Allowed(token, logits[token]))
        {
            seen = Mask(logits);
            token = float.IsNegativeInfinity(TensorPrimitives.Max(seen)) ? -1 : Choose(seen);
        }

        if (token < 0)
        {
            return new SampledToken(-1);
        }

        _grammar.Accept(token);
        _chain?.Accept(token);
        return WithLogprobs(token, seen);
    }

    /// <summary>
    /// Watches the generated text for the lazy grammar's trigger. Returns the text to show: cut after the trigger
    /// when it completes here, since the grammar binds from the next token and knows nothing of what followed it.
    /// </summary>
    public string Observe(string text)
    {
        if (_constraint?.Trigger is not { } trigger || _grammar is not null || text.Length == 0)
        {
            return text;
        }

        var window = _recent + text;
        var at = window.IndexOf(trigger, StringComparison.Ordinal);
        if (at < 0)
        {
            _recent = window[^Math.Min(window.Length, trigger.Length - 1)..];
            return text;
        }

        try
        {
            _grammar = CreateGrammar(_constraint.Grammar);
        }
        catch (InvalidOperationException)
        {
            _broken = true;
        }

        return text[..(at + trigger.Length - _recent.Length)];
    }

    public void Dispose()
    {
        _chain?.Dispose();
        _grammar?.Dispose();
    }

    private SafeLLamaSamplerChainHandle CreateGrammar(OutputGrammar grammar)
    {
        if (!GrammarParseCheck.Parses(_model, grammar.Gbnf, grammar.Root))
        {
            throw new InvalidOperationException("llama.cpp's parser refused the grammar.");
        }

        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            chain.AddGrammar(_model.Vocab, grammar.Gbnf, grammar.Root);
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    /// <summary>What the sampling picks from <paramref name="logits"/>, without recording it anywhere.</summary>
    private int Choose(ReadOnlySpan<float> logits)
    {
        if (_chain is null)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        var candidates = Candidates(logits);
        var array = new LLamaTokenDataArray(candidates);
        using var pin = LLamaTokenDataArrayNative.Create(array, out var native);
        _chain.Apply(ref native);
        return (int)native.Data[(int)native.Selected].ID;
    }

    private bool Allowed(int token, float logit)
    {
        _one[0] = new LLamaTokenData(token, logit, 0f);
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_one), out var native))
        {
            _grammar!.Apply(ref native);
        }

        return !float.IsNegativeInfinity(_one[0].Logit);
    }

    /// <summary>The logits with every token the grammar refuses at -infinity.</summary>
    private float[] Mask(ReadOnlySpan<float> logits)
    {
        var candidates = Candidates(logits);
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native))
        {
            _grammar!.Apply(ref native);
        }

        var masked = _masked ??= new float[logits.Length];
        for (var i = 0; i < masked.Length; i++)
        {
            masked[i] = candidates[i].Logit;
        }

        return masked;
    }

    private LLamaTokenData[] Candidates(ReadOnlySpan<float> logits)
    {
        var candidates = _candidates ??= new LLamaTokenData[logits.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new LLamaTokenData(i, logits[i], 0f);
        }

        return candidates;
    }

    private SampledToken WithLogprobs(int token, ReadOnlySpan<float> logits) =>
        _topLogprobs is { } top ? LogSoftmax.Sampled(token, logits, top) : new SampledToken(token);
}
