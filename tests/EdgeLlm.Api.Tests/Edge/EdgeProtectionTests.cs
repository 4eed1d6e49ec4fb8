using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Edge;

/// <summary>The LAN edge on a real Kestrel server: host names, rate limits, CORS, slow clients, a crowd of streams, the audit trail.</summary>
public sealed class EdgeProtectionTests
{
    [Fact]
    public async Task ARequestForAHostNameNotListedGets421AndIsAudited()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, logs: logs);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Host = "rebound.attacker.example";

        using var refused = await server.Client.SendAsync(request);
        using var allowed = await server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        Assert.Equal("host_not_allowed", (await InferenceTestServer.JsonAsync(refused)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains(logs.Entries, e => e.EventId == 2201 && e.Message.Contains("host_not_allowed", StringComparison.Ordinal) && e.Message.Contains("rebound.attacker.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyBeyondItsBucketGets429WithRetryAfterWhileAnotherKeyIsNotAffected()
    {
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Api:RateLimitPerSecond"] = "0.2",
            ["Api:RateLimitBurst"] = "3",
        });
        var other = server.CreateKey("tenant-b", "inference");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
                Assert.Equal("rate_limited", (await InferenceTestServer.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
            }
        }

        using var otherRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        otherRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", other);
        using var otherResponse = await server.Client.SendAsync(otherRequest);
        using var health = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task CorsStaysClosedUnlessAnOriginIsConfigured()
    {
        await using var closed = await InferenceTestServer.StartAsync(TestModels.Stories260K);
        await using var open = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string> { ["Api:CorsOrigins:0"] = "https://intranet.example.com" });

        var closedAnswer = await PreflightAsync(closed, "https://intranet.example.com");
        var openAnswer = await PreflightAsync(open, "https://intranet.example.com");
        var foreignAnswer = await PreflightAsync(open, "https://elsewhere.example.com");

        Assert.Null(closedAnswer);
        Assert.Equal("https://intranet.example.com", openAnswer);
        Assert.Null(foreignAnswer);
    }

    [Fact]
    public async Task ASlowlorisClientIsCutOffAfterTheHeaderTimeoutWhileHealthStaysFast()
    {
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string> { ["Api:RequestHeadersTimeout"] = "00:00:02" });
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        var held = Stopwatch.StartNew();
        var closed = false;
        var buffer = new byte[4096];
        while (held.Elapsed < TimeSpan.FromSeconds(20) && !closed)
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("X-Drip: 1\r\n"));
                using var health = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                await Task.Delay(500);
                if (stream.DataAvailable)
                {
                    closed = await stream.ReadAsync(buffer) is var read && (read == 0 || Encoding.ASCII.GetString(buffer, 0, read).Contains("408", StringComparison.Ordinal));
                }
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        Assert.True(closed, "The server kept a connection whose headers never ended.");
        Assert.InRange(held.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task HundredsOfConcurrentStreamsGetBoundedAdmissionAndHealthStaysFast()
    {
        await using var server = await InferenceTestServer.StartAsync(
            TestModels.Stories260K,
            new Dictionary<string, string>
            {
                ["Inference:MaxSequences"] = "4",
                ["Inference:QueueCapacity"] = "8",
                ["Api:RateLimitPerSecond"] = "0",
            });
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.InferenceKey);

        var streams = Enumerable.Range(0, 300).Select(async _ =>
        {
            using var content = new StringContent("""{"prompt":"Once upon a time","max_tokens":200,"stream":true}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/v1/completions", UriKind.Relative), content);
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        }).ToList();
        var healthTimes = new List<TimeSpan>();
        while (!streams.All(s => s.IsCompleted))
        {
            var probe = Stopwatch.StartNew();
            using var health = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            healthTimes.Add(probe.Elapsed);
            await Task.Delay(50);
        }

        var statuses = await Task.WhenAll(streams);
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(300, admitted + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.InRange(admitted, 12, 299);
        Assert.True(healthTimes.Max() < TimeSpan.FromSeconds(2), $"/healthz took up to {healthTimes.Max().TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task AdminRequestsAndRefusedKeysAreWrittenToTheAuditTrail()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, logs: logs);
        using var anonymous = new HttpClient { BaseAddress = server.Address };

        using var refused = await anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative));
        using var adminRequest = new HttpRequestMessage(HttpMethod.Post, "/admin/models/stories260K/rollback");
        adminRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.InferenceKey);
        using var admin = await server.Client.SendAsync(adminRequest);

        Assert.Contains(logs.Entries, e => e.EventId == 2201 && e.Message.Contains("missing_api_key", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId == 2200 && e.Message.Contains("/admin/models/stories260K/rollback", StringComparison.Ordinal) && e.Message.Contains("403", StringComparison.Ordinal));
    }

    private static async Task<string?> PreflightAsync(InferenceTestServer server, string origin)
    {
        using var client = new HttpClient { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}
