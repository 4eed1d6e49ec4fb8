using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Sends <c>casesPerTarget</c> generated cases to every target and judges each answer (<see cref="FuzzJudge"/>).
/// The cases depend only on the seed, the target and the case's number; targets run side by side, a target's
/// cases one after another. A case whose connection is reset, or that gets no answer in a minute, fails.
/// </summary>
internal static class ContractFuzzer
{
    private const int TargetsAtOnce = 4;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(1);

    public static async Task<FuzzReport> RunAsync(HttpClient client, IReadOnlyList<FuzzTarget> targets, int casesPerTarget, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var report = new FuzzReport(seed);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = TargetsAtOnce, CancellationToken = cancellationToken }, async (target, ct) =>
        {
            for (var i = 0; i < casesPerTarget; i++)
            {
                var fuzzCase = FuzzCaseGenerator.Create(target, i, seed);
                var (response, error) = await SendAsync(client, fuzzCase, ct);
                var failure = error ?? FuzzJudge.Judge(fuzzCase, response!);
                report.Record(fuzzCase, response?.Status ?? 0, failure, response is null ? error! : Encoding.UTF8.GetString(response.Body));
            }
        });
        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static async Task<(FuzzResponse? Response, string? Error)> SendAsync(HttpClient client, FuzzCase fuzzCase, CancellationToken cancellationToken)
    {
        try
        {
            if (fuzzCase.NeedsRawSocket && client.BaseAddress is { Scheme: "http" } address)
            {
                return (await RawHttpSender.SendAsync(address, client.DefaultRequestHeaders.Authorization?.ToString(), fuzzCase, CaseTimeout, cancellationToken), null);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(CaseTimeout);
            using var request = new HttpRequestMessage(fuzzCase.Method, new Uri(fuzzCase.RawPath, UriKind.Relative));
            if (fuzzCase.Body.Length > 0 || fuzzCase.ContentType is not null)
            {
                request.Content = new ByteArrayContent(fuzzCase.Body);
                if (fuzzCase.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzCase.ContentType);
                }
            }

            using var response = await client.SendAsync(request, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return (new FuzzResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            return (null, "the connection was reset or closed: " + ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {CaseTimeout.TotalSeconds:F0} s");
        }
    }
}
