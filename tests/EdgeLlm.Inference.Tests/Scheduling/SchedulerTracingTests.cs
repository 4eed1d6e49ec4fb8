using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeLlm.Inference.Tests.Support;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class SchedulerTracingTests
{
    [Fact]
    public async Task TheSchedulersSpansHangUnderTheCallersSpanAndCarryItsRequestId()
    {
        using var source = new ActivitySource("EdgeLlm.Tests.Http");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "EdgeLlm.Inference" or "EdgeLlm.Tests.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var scheduler = Create(new FakeEngine());

        using (var request = source.StartActivity("POST /v1/completions")!)
        {
            request.SetBaggage("edgellm.request_id", "req-42");
            var stream = Admit(scheduler, Request(promptLength: 3, maxTokens: 4));
            Assert.Same(request, Activity.Current);
            await ReadAllAsync(stream);

            var mine = stopped.Where(a => a.TraceId == request.TraceId).ToList();
            var generate = Assert.Single(mine, a => a.OperationName == "inference.generate");
            var decode = Assert.Single(mine, a => a.OperationName == "inference.decode");
            Assert.Equal(request.SpanId, generate.ParentSpanId);
            Assert.Equal(generate.SpanId, decode.ParentSpanId);
            Assert.Equal("req-42", generate.GetTagItem("edgellm.request_id"));
            Assert.Equal("req-42", decode.GetTagItem("edgellm.request_id"));
            Assert.Equal(4, decode.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal("Length", generate.GetTagItem("edgellm.finish_reason"));
        }
    }
}
