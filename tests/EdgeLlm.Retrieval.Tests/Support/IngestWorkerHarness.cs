using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>
/// The ingest worker over a real retrieval.db with <see cref="RecordingEmbeddings"/> and whitespace tokens, wired as
/// the host wires it; deletions go through the stores and <see cref="RunningIngests"/> as the API's do.
/// </summary>
internal sealed class IngestWorkerHarness : IAsyncDisposable
{
    // Only stops a hang: these jobs take milliseconds.
    private static readonly TimeSpan WaitLimit = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();

    public IngestWorkerHarness(TestDatabase database)
    {
        Database = database;
        Queue = new IngestQueue(database.Jobs);
        var indexes = new VectorIndexCache(database.Database, new VectorIndexFactory(new VectorIndexOptions()));
        var ingestor = new DocumentIngestor(database.Collections, database.Documents, database.Jobs, indexes, Embeddings, new WhitespaceTokenCounter(),
            database.Wrapped, NullLogger<DocumentIngestor>.Instance);
        Worker = new IngestWorker(database.Jobs, Queue, ingestor, Running, database.Wrapped, Logger);
    }

    public TestDatabase Database { get; }

    public RecordingEmbeddings Embeddings { get; } = new();

    public RecordingLogger<IngestWorker> Logger { get; } = new();

    public RunningIngests Running { get; } = new();

    public IngestQueue Queue { get; }

    public IngestWorker Worker { get; }

    /// <summary>A document of <paramref name="paragraphs"/> paragraphs of 150 words each: with 256-token chunks, one chunk per paragraph.</summary>
    public static byte[] Document(string word, int paragraphs) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join("\n\n", Enumerable.Range(0, paragraphs).Select(p => string.Join(' ', Enumerable.Repeat($"{word}{p}", 150)))));

    public Task StartAsync() => Worker.StartAsync(_stopping.Token);

    public async Task<IngestJob> EnqueueAsync(string tenant, CollectionInfo collection, string documentId, byte[] content)
    {
        var jobs = await Queue.EnqueueAsync(tenant, [new IngestRequest(collection.Id, documentId, documentId + ".txt", "text/plain", null, null, [], content)], CancellationToken.None);
        return Assert.Single(jobs!);
    }

    public string? Status(string jobId) => Database.Jobs.Status(jobId);

    /// <summary>Waits until the job has reached <paramref name="status"/>.</summary>
    public Task WaitForStatusAsync(string jobId, string status) => WaitUntilAsync(() => Status(jobId) == status);

    public async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Worker.StopAsync(CancellationToken.None);
        Worker.Dispose();
        _stopping.Dispose();
    }
}
