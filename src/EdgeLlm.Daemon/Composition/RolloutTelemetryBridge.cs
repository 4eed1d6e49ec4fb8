using System.Text.Json.Nodes;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// Every journaled rollout change (of a model's version or the policy set's, as <c>kind</c> says) becomes a
/// <c>rollout.started|step|promoted|aborted</c> event for the fleet, with the
/// figures of the window that decided it (both versions' requests, error rate, time to first token p95, tokens per
/// second, blocked share).
/// </summary>
internal sealed class RolloutTelemetryBridge(UpdateStateStore state, TelemetryEvents events) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        state.RolloutRecorded += Forward;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        state.RolloutRecorded -= Forward;
        return Task.CompletedTask;
    }

    private void Forward(RolloutEvent recorded)
    {
        var rollout = recorded.Rollout;
        events.Write("rollout." + recorded.Kind, new JsonObject
        {
            ["rollout"] = rollout.Id,
            ["kind"] = rollout.Kind,
            ["name"] = rollout.Model,
            ["model"] = rollout.Kind == RolloutKinds.Model ? rollout.Model : null,
            ["candidate"] = rollout.Candidate.Version,
            ["active"] = rollout.ActiveVersion,
            ["origin"] = rollout.Origin,
            ["bundle"] = rollout.Candidate.Bundle,
            ["sequence"] = rollout.Candidate.Sequence,
            ["steps"] = new JsonArray([.. rollout.Steps.Select(s => JsonValue.Create(s))]),
            ["weight"] = rollout.Weight,
            ["failures"] = rollout.Failures,
            ["inconclusive"] = rollout.Inconclusive,
            ["code"] = rollout.Code,
            ["message"] = rollout.Message,
            ["window"] = rollout.Last is { } last ? Window(last) : null,
        });
    }

    private static JsonObject Window(RolloutFigures last) => new()
    {
        ["from"] = new DateTimeOffset(last.From.ToUniversalTime(), TimeSpan.Zero),
        ["to"] = new DateTimeOffset(last.To.ToUniversalTime(), TimeSpan.Zero),
        ["verdict"] = last.Verdict,
        ["reasons"] = new JsonArray([.. last.Reasons.Select(r => JsonValue.Create(r))]),
        ["against_baseline"] = last.AgainstBaseline,
        ["active"] = Figures(last.Active),
        ["candidate"] = Figures(last.Candidate),
    };

    private static JsonObject Figures(WindowFigures figures) => new()
    {
        ["requests"] = figures.Requests,
        ["error_rate"] = figures.ErrorRate,
        ["ttft_p95_ms"] = figures.TimeToFirstTokenP95Ms,
        ["tokens_per_second"] = figures.TokensPerSecond,
        ["blocked_share"] = figures.BlockedShare,
    };
}
