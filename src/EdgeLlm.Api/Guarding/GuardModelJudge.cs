using System.Text;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Guarding;

/// <summary>
/// Runs the policy's guard model (a model with the role <c>guard</c>) on its own scheduler: the Llama Guard prompt,
/// greedy decoding under the verdict grammar, the answer parsed. Everything from finding the model to the last token
/// is bounded by the policy's timeout; whatever keeps a verdict from coming is <see cref="GuardVerdict.Unavailable"/>
/// with its reason, and the policy's failure mode decides.
/// </summary>
internal sealed class GuardModelJudge : IGuardModel
{
    private readonly ModelRegistry _registry;
    private readonly ModelResidency _residency;
    private readonly TimeProvider _time;
    private readonly ILogger<GuardModelJudge> _logger;
    private readonly GuardVerdictFault? _fault;

    public GuardModelJudge(ModelRegistry registry, ModelResidency residency, TimeProvider time, ILogger<GuardModelJudge> logger)
        : this(registry, residency, time, logger, GuardVerdictFault.FromEnvironment())
    {
    }

    internal GuardModelJudge(ModelRegistry registry, ModelResidency residency, TimeProvider time, ILogger<GuardModelJudge> logger, GuardVerdictFault? fault)
    {
        _registry = registry;
        _residency = residency;
        _time = time;
        _logger = logger;
        _fault = fault;
        if (fault is not null)
        {
            GuardingLog.FaultPointSet(logger, fault.Point);
        }
    }

    public async Task<GuardVerdict> JudgeAsync(GuardPolicy guard, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(conversation);
        var started = _time.GetTimestamp();
        var verdict = await VerdictAsync(guard, direction, conversation, cancellationToken);
        var elapsed = _time.GetElapsedTime(started);
        var outcome = GuardingMetrics.Outcome(verdict);
        GuardingMetrics.Judged(guard.Model, verdict, elapsed);
        GuardingLog.Judged(_logger, guard.Model, PolicyVocabulary.Name(direction), (long)elapsed.TotalMilliseconds, outcome);
        return verdict;
    }

    private async Task<GuardVerdict> VerdictAsync(GuardPolicy guard, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, CancellationToken cancellationToken)
    {
        if (_registry.FindSlot(guard.Model) is not { } slot)
        {
            return Unavailable("not_found");
        }

        if (slot.Settings.Role != ModelRole.Guard)
        {
            GuardingLog.NotAGuard(_logger, guard.Model, ModelRoles.Name(slot.Settings.Role));
            return Unavailable("not_guard");
        }

        if (!_registry.IsReady)
        {
            return Unavailable("not_loaded");
        }

        using var timeout = new CancellationTokenSource(guard.Timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await GenerateAsync(guard.Model, direction, conversation, GuardCategories.Effective(guard.Categories), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unavailable("timeout");
        }
    }

    private async Task<GuardVerdict> GenerateAsync(string name, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, IReadOnlyList<string> categories, CancellationToken deadline)
    {
        ModelLease lease;
        switch (await _residency.AcquireAsync(name, deadline))
        {
            case ModelAcquisition.Ready ready:
                lease = ready.Lease;
                break;
            case ModelAcquisition.NotReady:
                return Unavailable("not_loaded");
            default:
                return Unavailable("not_found");
        }

        GenerationStream stream;
        using (lease)
        {
            if (Request(lease.Model, direction, conversation, categories) is not { } request)
            {
                return Unavailable("too_long");
            }

            switch (lease.Model.Scheduler.TrySubmit(request, deadline))
            {
                case AdmissionResult.Admitted admitted:
                    stream = admitted.Stream;
                    break;
                case AdmissionResult.QueueFull:
                    return Unavailable("queue_full");
                default:
                    return Unavailable("failed");
            }
        }

        using (stream)
        {
            var answer = new StringBuilder();
            await foreach (var item in stream.ReadAllAsync(deadline))
            {
                if (item is TextDelta delta)
                {
                    answer.Append(delta.Text);
                }
                else if (item is GenerationFinished { Reason: not (FinishReason.Stop or FinishReason.Length) } finished)
                {
                    // Cancelled by the deadline: the timeout, reported by the caller's catch.
                    deadline.ThrowIfCancellationRequested();
                    GuardingLog.GenerationEnded(_logger, name, finished.Reason.ToString());
                    return Unavailable(finished.Reason == FinishReason.Timeout ? "timeout" : "failed");
                }
            }

            var text = _fault is null ? answer.ToString() : _fault.Replace();
            return text is null ? Unavailable("failed") : GuardVerdictParser.Parse(text, categories);
        }
    }

    /// <summary>
    /// The greedy, grammar-bound request for the prompt; when it does not fit the guard's context with room for the
    /// longest verdict, the oldest turns are left out, never the one judged. Null when even that one does not fit.
    /// </summary>
    internal static GenerationRequest? Request(LoadedModel model, GuardrailDirection direction, IReadOnlyList<GuardTurn> conversation, IReadOnlyList<string> categories)
    {
        var maxTokens = GuardVerdictGrammar.MaxTokens(categories);
        for (var skip = 0; skip <= Math.Max(conversation.Count - 1, 0); skip++)
        {
            var tokens = Tokenize(model.Tokenizer, GuardPromptBuilder.Build(direction, [.. conversation.Skip(skip)], categories));
            if (tokens.Length + maxTokens <= model.ContextSize)
            {
                return new GenerationRequest(tokens, SamplingParameters.Greedy, maxTokens, []) { Constraint = new OutputConstraint(GuardVerdictGrammar.For(categories)) };
            }
        }

        return null;
    }

    /// <summary>Each part alone, control tokens parsed only in the header and footer; only the first part keeps its BOS.</summary>
    private static int[] Tokenize(ModelTokenizer tokenizer, GuardPrompt prompt)
    {
        var bos = tokenizer.AddBos ? 1 : 0;
        return [.. tokenizer.Tokenize(prompt.Header, parseSpecial: true), .. tokenizer.Tokenize(prompt.Body, parseSpecial: false).Skip(bos), .. tokenizer.Tokenize(prompt.Footer, parseSpecial: true).Skip(bos)];
    }

    private static GuardVerdict.Unavailable Unavailable(string reason) => new(reason);
}
