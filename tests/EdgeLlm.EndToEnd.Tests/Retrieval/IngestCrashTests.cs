using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Testing;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.EndToEnd.Tests.Retrieval;

/// <summary>
/// The daemon is killed (SIGKILL) in the middle of a long ingest. retrieval.db must then be intact, every
/// document in it complete (chunks, vectors and full-text rows all there), every acknowledged job still
/// recorded; and after a restart on the same data directory every acknowledged document is ingested.
/// </summary>
public sealed class IngestCrashTests
{
    // stories260K embeds about 30 chunks a second on two cores: 12 documents of about 24 chunks (a paragraph
    // each) take some 10 s in all, so the kill after the first document lands with most still to do.
    private const int DocumentCount = 12;

    private const int ParagraphsPerDocument = 24;

    private const int VectorBytes = 64 * sizeof(float);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    // Small embedding batches: the ingest reports progress often and is still running when the test kills it.
    // The per-key rate limit is off: the test polls the jobs every 10 ms to kill the daemon mid-ingest.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["EDGELLM__Retrieval__EmbeddingBatchSize"] = "4",
        ["EDGELLM__Api__RateLimitPerSecond"] = "0",
    };

    [Fact]
    public async Task AKilledIngestLeavesEveryDocumentWholeOrAbsentAndResumesAfterARestart()
    {
        await using var first = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, environment: Settings);
        await first.WaitUntilReadyAsync(ReadyTimeout);
        var key = await RetrievalDaemon.CreateKeyAsync(first.DataDirectory, "plant");
        var database = Path.Combine(first.DataDirectory, "retrieval.db");
        string collection;
        List<(string Job, string Document)> acknowledged;
        using (var client = RetrievalDaemon.Client(first, key))
        {
            collection = await RetrievalDaemon.CreateCollectionAsync(client, "work-instructions");
            acknowledged = await UploadAsync(client, collection);

            // Kill once a document is in and the next one is being ingested (parsed, chunked or embedded).
            await WaitUntilAsync(client, collection, acknowledged.Select(a => a.Job), jobs =>
                jobs.Any(job => job.GetProperty("status").GetString() == "succeeded")
                && jobs.Any(job => job.GetProperty("status").GetString() == "running"));
            await first.KillAsync();
        }

        var markers = acknowledged.Select((a, n) => (a.Document, Marker(n))).ToDictionary();
        var afterCrash = ReadStore(database, markers);
        Assert.Equal(acknowledged.Select(a => a.Job).Order(), afterCrash.Jobs.Keys.Order());
        Assert.Contains(afterCrash.Jobs.Values, job => job.Status == "succeeded");
        Assert.Contains(afterCrash.Jobs.Values, job => job.Status is "queued" or "running");
        Assert.All(afterCrash.Jobs.Values.Where(job => job.Status != "succeeded"), job => Assert.True(job.HasPayload, $"{job.Document} lost its uploaded bytes"));
        Assert.All(afterCrash.Jobs.Values.Where(job => job.Status == "succeeded"), job => Assert.Contains(job.Document, afterCrash.Documents.Keys));
        Assert.True(afterCrash.Documents.Count < DocumentCount, "the kill should have come before every document was in");

        await using var second = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, createKey: false, environment: Settings, dataDirectory: first.DataDirectory);
        await second.WaitUntilReadyAsync(ReadyTimeout);
        using (var client = RetrievalDaemon.Client(second, key))
        {
            var jobs = await RetrievalDaemon.WaitForJobsAsync(client, collection, acknowledged.Select(a => a.Job));
            Assert.All(jobs.Values, job => Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString()));

            var listed = await RetrievalDaemon.DocumentsAsync(client, collection);
            Assert.Equal(acknowledged.Select(a => a.Document).Order(), listed.Select(d => d.GetProperty("id").GetString()!).Order());
            foreach (var (job, document) in acknowledged)
            {
                var stored = listed.Single(d => d.GetProperty("id").GetString() == document);
                Assert.Equal(jobs[job].GetProperty("total_chunks").GetInt32(), stored.GetProperty("chunk_count").GetInt32());
            }
        }

        await second.TerminateAsync(TimeSpan.FromSeconds(30));
        var afterRestart = ReadStore(database, markers);
        Assert.Equal(acknowledged.Select(a => a.Document).Order(), afterRestart.Documents.Keys.Order());
        Assert.All(afterRestart.Jobs.Values, job => Assert.False(job.HasPayload, $"{job.Document}'s job kept its payload after it ended"));

        // The documents that were complete before the crash were not touched by the restart.
        foreach (var (document, chunks) in afterCrash.Documents)
        {
            Assert.Equal(chunks, afterRestart.Documents[document]);
        }
    }

    /// <summary>Uploads the documents in one multipart request (all acknowledged together); the job and document id of each, in upload order.</summary>
    private static async Task<List<(string Job, string Document)>> UploadAsync(HttpClient client, string collection)
    {
        using var form = new MultipartFormDataContent();
        for (var n = 0; n < DocumentCount; n++)
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Document(n)));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(file, "file", $"instruction-{n:00}.txt");
        }

        using var response = await client.PostAsync(new Uri($"/v1/collections/{collection}/documents", UriKind.Relative), form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray().Select(j => (j.GetProperty("id").GetString()!, j.GetProperty("document_id").GetString()!))];
    }

    /// <summary>A work instruction whose every paragraph carries the document's marker word, so each chunk of it does.</summary>
    private static string Document(int n)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Work instruction {Marker(n)}\n\n");
        for (var p = 0; p < ParagraphsPerDocument; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Step {p} of {Marker(n)}: inspect hydraulic hose {p} on press {n}, tighten its clamp, wipe the fitting, ")
                .Append("write the pressure reading into the log book, and report any leak to the shift leader before the next cycle starts.\n\n");
        }

        return text.ToString();
    }

    private static string Marker(int n) => string.Create(CultureInfo.InvariantCulture, $"zqmark{n:00}");

    /// <summary>Polls the jobs until <paramref name="condition"/> holds for them; fails with their last states if it never does.</summary>
    private static async Task WaitUntilAsync(HttpClient client, string collection, IEnumerable<string> jobIds, Func<IReadOnlyList<JsonElement>, bool> condition)
    {
        // Only stops a hang: the ingest the condition waits for is seconds long.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var jobs = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            jobs.Clear();
            foreach (var id in jobIds)
            {
                jobs.Add(await RetrievalDaemon.GetAsync(client, $"/v1/collections/{collection}/jobs/{id}"));
            }

            if (condition(jobs))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }

        Assert.Fail("The jobs never reached the awaited state: " + string.Join(", ", jobs.Select(j => $"{j.GetProperty("status")} {j.GetProperty("done_chunks")}/{j.GetProperty("total_chunks")}")));
    }

    /// <summary>
    /// Opens retrieval.db directly (the daemon is not running) and checks it: SQLite's and FTS5's integrity
    /// checks pass, and every document is complete. Returns the jobs, and each document's chunk ids.
    /// </summary>
    private static StoreState ReadStore(string path, Dictionary<string, string> markers)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        Assert.Equal(["ok"], Rows(connection, "PRAGMA integrity_check", r => r.GetString(0)));
        Execute(connection, "INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')");
        Assert.Empty(Rows(connection, "PRAGMA foreign_key_check", r => r.GetString(0)));

        var jobs = Rows(connection, "SELECT id, document_id, status, payload IS NOT NULL FROM ingest_jobs", r => new JobRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3)))
            .ToDictionary(j => j.Id);
        var documents = new Dictionary<string, string>();
        foreach (var (id, chunkCount) in Rows(connection, "SELECT id, chunk_count FROM documents", r => (r.GetString(0), r.GetInt32(1))))
        {
            var marker = markers[id];
            var chunks = Rows(connection, $"SELECT id, ordinal, length(vector), instr(text, '{marker}') > 0 FROM chunks WHERE document_id = '{id}' ORDER BY ordinal",
                r => (Id: r.GetInt64(0), Ordinal: r.GetInt32(1), VectorBytes: r.GetInt32(2), HasMarker: r.GetBoolean(3)));
            Assert.True(chunkCount > 0, $"{id} has no chunks");
            Assert.True(chunks.Count == chunkCount, $"{id} is half-written: {chunks.Count} of {chunkCount} chunks");
            Assert.Equal(Enumerable.Range(0, chunkCount), chunks.Select(c => c.Ordinal));
            Assert.All(chunks, c => Assert.Equal(VectorBytes, c.VectorBytes));
            Assert.All(chunks, c => Assert.True(c.HasMarker, $"chunk {c.Ordinal} of {id} lacks its marker"));
            var indexed = Rows(connection, $"SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH '\"{marker}\"' ORDER BY rowid", r => r.GetInt64(0));
            Assert.Equal(chunks.Select(c => c.Id).Order(), indexed);
            documents[id] = string.Join(",", chunks.Select(c => c.Id));
        }

        Assert.Equal(0L, Rows(connection, "SELECT COUNT(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)", r => r.GetInt64(0)).Single());
        return new StoreState(jobs, documents);
    }

    private static List<T> Rows<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record JobRow(string Id, string Document, string Status, bool HasPayload);

    private sealed record StoreState(Dictionary<string, JobRow> Jobs, Dictionary<string, string> Documents);
}
