using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Clients sending short completions to the daemon without pause, each request as a new <c>user</c>, so a rollout
/// sticky by user sends its weight's share of them to the candidate. Counts the answers by status and by the version
/// that gave them (<c>x-edgellm-version</c>), for the failure messages and the assertions.
/// </summary>
internal sealed class RolloutTraffic : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Task[] _clients;
    private readonly string _prompt;
    private int _users;

    private RolloutTraffic(UpdatingDaemon daemon, int clients, string prompt)
    {
        _prompt = prompt;
        _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => SendAsync(daemon)))];
    }

    public static RolloutTraffic Start(UpdatingDaemon daemon, int clients, string prompt = "Once upon a time") => new(daemon, clients, prompt);

    /// <summary>How many answers came with each status and version, e.g. <c>200 candidate</c> or <c>200 active</c>.</summary>
    public int Answers(string statusAndVersion) => _answers.GetValueOrDefault(statusAndVersion);

    public override string ToString() => string.Join(", ", _answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _stop.Dispose();
    }

    private async Task SendAsync(UpdatingDaemon daemon)
    {
        using var client = daemon.Admin(TimeSpan.FromSeconds(30));
        while (!_stop.IsCancellationRequested)
        {
            var user = Interlocked.Increment(ref _users);
            try
            {
                // Three tokens: a time to first token and a decode rate for each request, and little else.
                using var response = await client.PostAsync(
                    new Uri("v1/completions", UriKind.Relative),
                    JsonContent.Create(new Dictionary<string, object> { ["model"] = UpdatingDaemon.ModelName, ["prompt"] = _prompt, ["max_tokens"] = 3, ["user"] = $"user-{user}" }),
                    _stop.Token);
                var version = response.Headers.TryGetValues("x-edgellm-version", out var values) ? values.Single() : "unnamed";
                _answers.AddOrUpdate($"{(int)response.StatusCode} {version}", 1, (_, count) => count + 1);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                _answers.AddOrUpdate($"failed {ex.HttpRequestError}", 1, (_, count) => count + 1);
            }
        }
    }
}
