using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Updates;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.Sources;
using EdgeLlm.Updates.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>/admin/updates</c>: the update state, a bundle uploaded as a <c>.tar</c>, and an update check on demand.</summary>
internal static class UpdatesEndpoints
{
    private const int HistoryShown = 50;
    private const int CopyBufferBytes = 1 << 20;

    public static Ok<UpdateStatusDto> Status([FromServices] UpdateStateStore state, [FromServices] FeedMonitor feed, [FromServices] ModelRegistry registry, [FromServices] TrustedKeyRing keys)
    {
        var serving = registry.Models.ToDictionary(m => m.Name, m => m.FilePath, StringComparer.Ordinal);
        var running = state.UnfinishedPlans().FirstOrDefault();
        var status = new UpdateStatusDto(
            [.. state.Installed().Select(i => new InstalledItemDto(i.Kind, i.Name, Version(i.Active), Version(i.Previous), i.Confirmed, i.UnconfirmedStarts,
                i.Kind == "model" ? serving.GetValueOrDefault(i.Name) : null))],
            serving,
            running is null ? null : new InstallPlanDto(running.Id, running.Source, running.Step, running.Bundle, running.Channel, running.Sequence, Utc(running.StartedAt)),
            [.. state.History(HistoryShown).Select(e => new UpdateEventDto(Utc(e.At), e.Event, e.Bundle, e.Channel, e.Sequence, e.Code, e.Message))],
            Note(state.LastError()),
            Note(state.LastCheck()),
            state.Channels(),
            [.. keys.Keys.Select(k => k.KeyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture))],
            Feed(feed.Feed()));
        return TypedResults.Ok(status);
    }

    /// <summary>A bundle as a <c>.tar</c> body, streamed to staging (never held in memory) under <c>Updates:MaxUploadBytes</c>.</summary>
    public static async Task<Results<Ok<UpdateResultDto>, ApiError>> UploadAsync(HttpContext http, [FromServices] UpdateInstaller installer, [FromServices] BundleArchive archive, [FromServices] IOptions<UpdatesOptions> options)
    {
        var limit = options.Value.MaxUploadBytes;
        var request = http.Request;
        if (request.ContentType?.Split(';')[0].Trim() is not ("application/x-tar" or "application/octet-stream"))
        {
            return new ApiError(415, ErrorCodes.UnsupportedMediaType, "Upload a bundle as application/x-tar.");
        }

        if (request.ContentLength > limit)
        {
            return new ApiError(413, ErrorCodes.RequestTooLarge, $"The bundle is larger than Updates:MaxUploadBytes ({limit} bytes).");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }

        var outcome = await installer.InstallAsync("upload", async (staging, ct) =>
        {
            var upload = Path.Combine(Path.GetDirectoryName(staging)!, "upload.tar");
            Directory.CreateDirectory(Path.GetDirectoryName(upload)!);
            try
            {
                await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, FileOptions.Asynchronous))
                {
                    await request.Body.CopyToAsync(file, CopyBufferBytes, ct);
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return new BundleCheck.Refused(ErrorCodes.RequestTooLarge, $"The bundle is larger than Updates:MaxUploadBytes ({limit} bytes).");
            }

            return await archive.StageAsync(upload, staging, ct);
        }, http.RequestAborted);
        return Answer(outcome);
    }

    public static async Task<Results<Ok<UpdateResultDto>, ApiError>> CheckAsync([FromServices] UpdatePuller puller, CancellationToken cancellationToken)
    {
        var outcome = await puller.CheckNowAsync(cancellationToken);
        return outcome == UpdatePuller.Disabled
            ? new ApiError(409, ErrorCodes.UpdatePullDisabled, "No Updates:PullUrl is configured.")
            : TypedResults.Ok(new UpdateResultDto(outcome, null, null, null, null));
    }

    private static Results<Ok<UpdateResultDto>, ApiError> Answer(InstallOutcome outcome) => outcome switch
    {
        InstallOutcome.Installed installed => TypedResults.Ok(new UpdateResultDto("installed", installed.Bundle, installed.Channel, installed.Sequence, installed.Items)),
        InstallOutcome.Refused { Code: ErrorCodes.RequestTooLarge } refused => new ApiError(413, refused.Code, refused.Message),
        InstallOutcome.Refused refused => new ApiError(422, refused.Code, refused.Message),
        InstallOutcome.Failed failed => new ApiError(422, failed.Code, failed.Message),
        _ => throw new InvalidOperationException("Unknown install outcome."),
    };

    /// <summary>The feed on the wire (<c>/admin/updates</c> and <c>/admin/status</c>).</summary>
    internal static FeedStatusDto? Feed(FeedStatus? feed) => feed is null
        ? null
        : new FeedStatusDto(feed.State, feed.Code, feed.Message, feed.Since,
            feed.LastIndex is { } index ? new ChannelIndexDto(index.Channel, index.Sequence, index.Issued, index.Expires) : null, feed.VerifiedAt);

    private static InstalledVersionDto? Version(InstalledVersion? version) =>
        version is null ? null : new InstalledVersionDto(version.Version, version.Path, version.Bundle, version.Channel, version.Sequence, Utc(version.ActivatedAt));

    private static UpdateNoteDto? Note((DateTime At, string Code, string Message)? note) =>
        note is { } n ? new UpdateNoteDto(Utc(n.At), n.Code, n.Message) : null;

    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);
}
