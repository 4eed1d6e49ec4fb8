using System.Collections.Concurrent;
using System.Net;

namespace EdgeLlm.Soak.Traffic;

/// <summary>
/// Every answer the soak got, counted by status, with each 5xx and each transport failure (a reset, a connection
/// closed mid-answer) kept with its endpoint. Requests the soak aborts on purpose (churn) are counted apart, and so
/// is a 507 <c>insufficient_storage</c> with its JSON body: the answer the issue asks for to a write on a full disk,
/// not a server fault.
/// </summary>
internal sealed class RequestLedger
{
    private const int KeptBodyCharacters = 300;

    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly ConcurrentQueue<ServerError> _serverErrors = new();
    private readonly ConcurrentDictionary<string, long> _transportFailures = new();
    private readonly ConcurrentDictionary<string, long> _refusalsWithoutRetryAfter = new();
    private long _abortedOnPurpose;
    private long _storageRefusals;

    public IReadOnlyDictionary<int, long> ByStatus => _byStatus;

    public IReadOnlyCollection<ServerError> ServerErrors => _serverErrors;

    /// <summary>Per endpoint: requests that got no complete answer though the soak did not abort them.</summary>
    public IReadOnlyDictionary<string, long> TransportFailures => _transportFailures;

    /// <summary>Per endpoint: 429 and 503 answers that lacked <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, long> RefusalsWithoutRetryAfter => _refusalsWithoutRetryAfter;

    public long AbortedOnPurpose => Interlocked.Read(ref _abortedOnPurpose);

    /// <summary>507 <c>insufficient_storage</c> answers (with the documented JSON body) while the disk was full.</summary>
    public long StorageRefusals => Interlocked.Read(ref _storageRefusals);

    /// <summary>True for the documented answer to a write on a full disk.</summary>
    public static bool IsStorageRefusal(int status, string? body) =>
        status == 507 && body is not null && body.Contains("\"code\":\"insufficient_storage\"", StringComparison.Ordinal);

    public long Total => _byStatus.Values.Sum();

    public void Answered(string endpoint, HttpStatusCode status, bool hasRetryAfter, string? body)
    {
        var code = (int)status;
        _byStatus.AddOrUpdate(code, 1, (_, n) => n + 1);
        if (IsStorageRefusal(code, body))
        {
            Interlocked.Increment(ref _storageRefusals);
        }
        else if (code >= 500)
        {
            _serverErrors.Enqueue(new ServerError(DateTimeOffset.UtcNow, endpoint, code, Truncate(body)));
        }

        if (code is 429 or 503 && !hasRetryAfter)
        {
            _refusalsWithoutRetryAfter.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        }
    }

    public void TransportFailed(string endpoint) => _transportFailures.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    public void Aborted() => Interlocked.Increment(ref _abortedOnPurpose);

    private static string Truncate(string? body) =>
        body is null ? "" : body.Length <= KeptBodyCharacters ? body : body[..KeptBodyCharacters] + "…";
}

/// <summary>One 5xx answer: when, where, and the start of its body.</summary>
internal sealed record ServerError(DateTimeOffset At, string Endpoint, int Status, string Body);
