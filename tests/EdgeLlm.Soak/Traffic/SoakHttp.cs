using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeLlm.Soak.Traffic;

/// <summary>
/// The soak's requests to the daemon, each answer put in the <see cref="RequestLedger"/>. Streams are read line by
/// line and timestamped on the soak's clock as each text event arrives.
/// </summary>
internal sealed class SoakHttp(Uri address, string model, RequestLedger ledger, SoakClock clock) : IDisposable
{
    public const string CompletionsEndpoint = "POST /v1/completions";
    public const string StreamEndpoint = "POST /v1/completions (stream)";
    public const string UploadEndpoint = "POST /v1/collections/{id}/documents";

    // Far above Inference:RequestTimeout (5 min): only a daemon that never answers runs into it.
    private static readonly TimeSpan NoAnswer = TimeSpan.FromMinutes(6);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = address,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly ConcurrentDictionary<string, long> _streamErrors = new();

    public Uri Address => address;

    public string Model => model;

    public RequestLedger Ledger => ledger;

    /// <summary>Error events inside streams that had started (status 200), by their <c>code</c>.</summary>
    public IReadOnlyDictionary<string, long> StreamErrors => _streamErrors;

    /// <summary>A client of its own for <paramref name="key"/> (the fuzzer sends through one).</summary>
    public HttpClient ClientFor(string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A non-streamed greedy completion; null status when no answer came.</summary>
    public async Task<int?> CompleteAsync(string key, string prompt, int maxTokens, CancellationToken cancellationToken)
    {
        using var request = Post(key, "v1/completions", Completion(prompt, maxTokens, stream: false));
        using var deadline = Deadline(cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            ledger.Answered(CompletionsEndpoint, response.StatusCode, response.Headers.RetryAfter is not null, body);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            ledger.TransportFailed(CompletionsEndpoint);
            return null;
        }
    }

    /// <summary>
    /// A streamed completion read to its end, or aborted by the soak after <paramref name="abortAfterTexts"/> text
    /// events (0: as soon as the headers came). <paramref name="arrivals"/>, when given, gets each text event's time.
    /// </summary>
    public async Task<StreamOutcome> StreamAsync(
        string key, string prompt, int maxTokens, CancellationToken cancellationToken, int? abortAfterTexts = null, List<TimeSpan>? arrivals = null)
    {
        using var request = Post(key, "v1/completions", Completion(prompt, maxTokens, stream: true));
        using var deadline = Deadline(cancellationToken);
        var texts = 0;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(deadline.Token);
                ledger.Answered(StreamEndpoint, response.StatusCode, response.Headers.RetryAfter is not null, body);
                return new StreamOutcome((int)response.StatusCode, StreamEnd.Refused, texts);
            }

            ledger.Answered(StreamEndpoint, response.StatusCode, hasRetryAfter: false, body: null);
            if (abortAfterTexts == 0)
            {
                ledger.Aborted();
                return new StreamOutcome(200, StreamEnd.AbortedBySoak, texts);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token), Encoding.UTF8);
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line["data: ".Length..];
                if (data == "[DONE]")
                {
                    return new StreamOutcome(200, StreamEnd.Done, texts);
                }

                if (ErrorCode(data) is { } code)
                {
                    _streamErrors.AddOrUpdate(code, 1, (_, n) => n + 1);
                    return new StreamOutcome(200, StreamEnd.ErrorEvent, texts);
                }

                texts++;
                arrivals?.Add(clock.Now);
                if (texts == abortAfterTexts)
                {
                    ledger.Aborted();
                    return new StreamOutcome(200, StreamEnd.AbortedBySoak, texts);
                }
            }

            ledger.TransportFailed(StreamEndpoint + " (cut before [DONE])");
            return new StreamOutcome(200, StreamEnd.Cut, texts);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            ledger.TransportFailed(StreamEndpoint);
            return new StreamOutcome(null, StreamEnd.Cut, texts);
        }
    }

    public async Task<string> CreateCollectionAsync(string key, string name, CancellationToken cancellationToken)
    {
        using var request = Post(key, "v1/collections", JsonContent.Create(new { name }));
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        ledger.Answered("POST /v1/collections", response.StatusCode, response.Headers.RetryAfter is not null, body);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
            : throw new InvalidOperationException($"Creating collection {name} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>Uploads a text document; the status (null: no answer) and, when accepted, its job's id.</summary>
    public async Task<(int? Status, string? JobId)> UploadAsync(string key, string collection, string text, CancellationToken cancellationToken)
    {
        using var request = Post(key, $"v1/collections/{collection}/documents", JsonContent.Create(new { text, title = "soak" }));
        using var deadline = Deadline(cancellationToken);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            ledger.Answered(UploadEndpoint, response.StatusCode, response.Headers.RetryAfter is not null, body);
            var job = response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
            return ((int)response.StatusCode, job);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            ledger.TransportFailed(UploadEndpoint);
            return (null, null);
        }
    }

    /// <summary>The ingest job's <c>status</c> (<c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>); null when not answered.</summary>
    public async Task<string?> JobStatusAsync(string key, string collection, string job, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/collections/{collection}/jobs/{job}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ledger.Answered("GET /v1/collections/{id}/jobs/{job}", response.StatusCode, response.Headers.RetryAfter is not null, body);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() : null;
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            ledger.TransportFailed("GET /v1/collections/{id}/jobs/{job}");
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The body of a streamed greedy completion, the same bytes the raw-socket readers send.</summary>
    public string CompletionJson(string prompt, int maxTokens, bool stream) =>
        JsonSerializer.Serialize(new { model, prompt, max_tokens = maxTokens, temperature = 0, stream });

    private StringContent Completion(string prompt, int maxTokens, bool stream) =>
        new(CompletionJson(prompt, maxTokens, stream), Encoding.UTF8, "application/json");

    private static HttpRequestMessage Post(string key, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(NoAnswer);
        return deadline;
    }

    /// <summary>A failure of the daemon's side; the soak's own cancellation (its end, Ctrl-C) is not one.</summary>
    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException or JsonException;

    private static string? ErrorCode(string data)
    {
        if (!data.Contains("\"error\"", StringComparison.Ordinal))
        {
            return null;
        }

        using var json = JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("error", out var error)
            ? error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : "(no code)"
            : null;
    }
}

internal enum StreamEnd
{
    /// <summary>Answered with an error status before any stream began.</summary>
    Refused,

    /// <summary><c>data: [DONE]</c> after the text.</summary>
    Done,

    /// <summary>An error event ended the stream.</summary>
    ErrorEvent,

    /// <summary>The connection ended (or reset) before <c>[DONE]</c>.</summary>
    Cut,

    /// <summary>The soak stopped reading and dropped it, as the churn means to.</summary>
    AbortedBySoak,
}

/// <summary>How one stream went: its status (null when none came), how it ended, and the text events read.</summary>
internal sealed record StreamOutcome(int? Status, StreamEnd End, int Texts)
{
    public bool Succeeded => End == StreamEnd.Done;
}
