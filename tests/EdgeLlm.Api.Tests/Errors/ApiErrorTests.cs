using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeLlm.Api.Tests.Errors;

/// <summary>
/// An <see cref="ApiError"/> returned as a result writes itself: the OpenAI shape on <c>/v1/*</c>, problem
/// details elsewhere, with its status, <c>Retry-After</c>, the code kept for the audit trail and counted.
/// </summary>
public sealed class ApiErrorTests
{
    [Fact]
    public async Task OnAV1RouteTheErrorIsWrittenInTheOpenAiShapeWithRetryAfterInWholeSeconds()
    {
        var context = Context("/v1/chat/completions");

        await new ApiError(429, ErrorCodes.QueueFull, "Every slot is taken.", RetryAfter: TimeSpan.FromSeconds(1.2)).ExecuteAsync(context);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("""{"error":{"message":"Every slot is taken.","type":"rate_limit_error","param":null,"code":"queue_full"}}""", Body(context));
        Assert.Equal(ErrorCodes.QueueFull, context.Items[ApiError.CodeItem]);
    }

    [Fact]
    public async Task ElsewhereTheErrorIsWrittenAsProblemDetailsNamingItsParameterOnlyWhenItHasOne()
    {
        var withoutParam = Context("/admin/models/chat/rollback");
        var withParam = Context("/admin/updates");

        await new ApiError(409, ErrorCodes.NoPreviousVersion, "Nothing to go back to.").ExecuteAsync(withoutParam);
        await new ApiError(415, ErrorCodes.UnsupportedMediaType, "Upload a tar.", "body").ExecuteAsync(withParam);

        Assert.Equal(409, withoutParam.Response.StatusCode);
        Assert.Equal("application/problem+json", withoutParam.Response.ContentType);
        Assert.False(withoutParam.Response.Headers.ContainsKey("Retry-After"));
        Assert.Equal(
            """{"type":"https://edgellm.dev/errors/no_previous_version","title":"Conflict","status":409,"detail":"Nothing to go back to.","code":"no_previous_version"}""",
            Body(withoutParam));
        Assert.Equal(
            """{"type":"https://edgellm.dev/errors/unsupported_media_type","title":"Unsupported Media Type","status":415,"detail":"Upload a tar.","code":"unsupported_media_type","param":"body"}""",
            Body(withParam));
    }

    [Fact]
    public async Task AnErrorAfterTheResponseStartedIsCountedAndAuditedButLeavesTheResponseAlone()
    {
        var code = "test_" + Guid.NewGuid().ToString("N");
        var counted = new ConcurrentBag<(long Value, object? Status)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "EdgeLlm.Api" && instrument.Name == "edgellm.api.errors")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var fields = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (Equals(fields.GetValueOrDefault("code"), code))
            {
                counted.Add((value, fields.GetValueOrDefault("status")));
            }
        });
        listener.Start();
        var context = Context("/v1/completions");
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());

        await new ApiError(504, code, "Too slow.").ExecuteAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("", Body(context));
        Assert.Equal(code, context.Items[ApiError.CodeItem]);
        Assert.Equal((1L, (object?)504), Assert.Single(counted));
    }

    private static DefaultHttpContext Context(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    /// <summary>A response whose headers went out already, as a stream's do once its first event is sent.</summary>
    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
