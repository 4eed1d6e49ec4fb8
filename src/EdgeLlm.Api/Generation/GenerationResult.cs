using System.Text;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// A whole, non-streamed answer to an admitted generation: read to its end, then written as one JSON body,
/// or as the error it finished with (a timeout, an engine fault, a shutdown).
/// </summary>
internal sealed class GenerationResult(GenerationEvents generation, ICompletionFormat format, bool logprobsRequested = false) : IResult
{
    // An answer of no tokens still reports an (empty) list when log-probabilities were asked for.
    private IReadOnlyList<TokenLogprob>? Requested() => logprobsRequested ? [] : null;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var aborted = httpContext.RequestAborted;
        using (generation)
        {
            try
            {
                var text = new StringBuilder();
                List<TokenLogprob>? logprobs = null;
                await foreach (var item in generation.ReadAllAsync(aborted))
                {
                    switch (item)
                    {
                        case TextDelta delta:
                            text.Append(delta.Text);
                            if (delta.Logprobs is not null)
                            {
                                (logprobs ??= []).AddRange(delta.Logprobs);
                            }

                            break;
                        case GenerationFinished finished when GenerationResponder.Failure(finished.Reason) is { } error:
                            await error.ExecuteAsync(httpContext);
                            return;
                        case GenerationFinished finished:
                            httpContext.Response.ContentType = "application/json";
                            format.Finished(finished.Usage);
                            var answer = format.Complete(text.ToString(), logprobs ?? Requested(), GenerationResponder.FinishReasonName(finished.Reason), GenerationResponder.Usage(finished.Usage));
                            await httpContext.Response.WriteAsync(answer, aborted);
                            return;
                    }
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client went away; disposing the stream cancels the generation.
            }
        }
    }
}
