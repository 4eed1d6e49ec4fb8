using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Update servers that misbehave without ever sending a bad byte, through the real daemon: one that accepts the
/// request for the channel index and never answers costs the check its request deadline, not the check itself; one
/// that redirects the pull to another host is refused with its own code, as a setting to fix, not retried sooner.
/// </summary>
public sealed class PullServerFaultTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;
    private UpdateServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UpdateServer.StartAsync();
        _daemon = await UpdatingDaemon.CreateAsync(_server.PullSettings("--Updates:PullRequestTimeout", "00:00:02"));
        _server.Published = await _daemon.BundleAsync(1);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AServerThatNeverAnswersTheIndexCostsTheCheckItsRequestDeadlineAndTheBundleStillInstalls()
    {
        _server.Intercept = async (http, file, _) =>
        {
            if (file != "channel.json")
            {
                return false;
            }

            await Task.Delay(Timeout.Infinite, http.RequestAborted);
            return true;
        };

        await _daemon.StartAsync();
        // The check's outcome is recorded last, after the feed's.
        await Poll.Until(async () => (await _daemon.StatusAsync()).GetProperty("last_check") is { ValueKind: JsonValueKind.Object } check
            && check.GetProperty("code").GetString() == "installed");

        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
        var feed = (await _daemon.AdminStatusAsync()).GetProperty("updates").GetProperty("feed");
        Assert.Equal("unknown", feed.GetProperty("state").GetString());
        Assert.Contains("did not send channel.json within 00:00:02", feed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task ARedirectToAnotherHostIsRefusedWithItsOwnCodeAndNotRetriedSooner()
    {
        _server.Intercept = (http, file, _) =>
        {
            if (file != "manifest.json")
            {
                return Task.FromResult(false);
            }

            http.Response.Redirect($"http://localhost:{http.Connection.LocalPort}/bundle/manifest.json");
            return Task.FromResult(true);
        };
        await _daemon.StartAsync();

        var outcome = await _daemon.CheckAsync();

        Assert.Equal("update_redirect_refused", outcome);
        var status = await _daemon.StatusAsync();
        Assert.Equal(("refused", "update_redirect_refused"), (status.GetProperty("history")[0].GetProperty("event").GetString(), status.GetProperty("history")[0].GetProperty("code").GetString()));
        Assert.Contains("localhost", status.GetProperty("last_error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(UpdatingDaemon.ActiveVersion(status));
        // The puller logs the back-off it takes after a transient failure; there must be none.
        Assert.Equal(0, OutputText.Occurrences(_daemon.Process!.Output, "ended with {Outcome}; the next in"));
    }
}
