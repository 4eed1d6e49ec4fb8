using System.Net;
using System.Text.Json;
using EdgeLlm.Retrieval.Tests.Fixtures;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Retrieval;

/// <summary>
/// <c>edgellm ingest --collection C --create --key-file F --url U FOLDER</c> against the running daemon, on a
/// copy of the retrieval fixtures (with the .docx written out, a nested folder, and files it must skip).
/// </summary>
public sealed class IngestCommandTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    private static readonly string FixturesFolder = Path.Combine(TestModels.RepositoryRoot, "tests", "EdgeLlm.Retrieval.Tests", "Fixtures");

    [Fact]
    public async Task AFolderIsIngestedUnderPathIdsAndIngestingItAgainReplacesInsteadOfDuplicating()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        var key = await RetrievalDaemon.CreateKeyAsync(daemon.DataDirectory, "operators");
        var work = Directory.CreateTempSubdirectory("edgellm-ingest-").FullName;
        try
        {
            var keyFile = Path.Combine(work, "ingest.key");
            await File.WriteAllTextAsync(keyFile, key + "\n");
            var folder = SiteDocuments(work);
            var expected = new[]
            {
                "site-docs_README.md",
                "site-docs_annual-leave-policy.docx",
                "site-docs_archive_old-lockout.htm",
                "site-docs_conveyor-lockout-instruction.html",
                "site-docs_gateway-firmware-changelog.txt",
                "site-docs_press-maintenance-manual.md",
                "site-docs_shift_hand-over.markdown",
            };

            var (exitCode, output) = await IngestAsync(daemon, keyFile, folder);

            Assert.True(exitCode == 0, output);
            Assert.Contains("7 of 7 documents ingested.", output, StringComparison.Ordinal);
            using var client = RetrievalDaemon.Client(daemon, key);
            var collections = await RetrievalDaemon.GetAsync(client, "/v1/collections");
            var collection = Assert.Single(collections.GetProperty("data").EnumerateArray());
            Assert.Equal("site-docs", collection.GetProperty("name").GetString());
            var collectionId = collection.GetProperty("id").GetString()!;
            var first = await RetrievalDaemon.DocumentsAsync(client, collectionId);
            Assert.Equal(expected, first.Select(d => d.GetProperty("id").GetString()));
            Assert.All(first, d => Assert.True(d.GetProperty("chunk_count").GetInt32() > 0, d.ToString()));
            Assert.Equal(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                first.Single(d => d.GetProperty("id").GetString() == "site-docs_annual-leave-policy.docx").GetProperty("content_type").GetString());
            Assert.Equal("text/html", first.Single(d => d.GetProperty("id").GetString() == "site-docs_archive_old-lockout.htm").GetProperty("content_type").GetString());

            // Edit one file and ingest the folder again: same documents, the edited one replaced.
            var changelog = Path.Combine(folder, "gateway-firmware-changelog.txt");
            await File.AppendAllTextAsync(changelog, "\nVersion 3.4.3 (released 3 June 2024)\n  Fixed:\n    - The zq-revision-marker watchdog log entry is written once.\n");

            (exitCode, output) = await IngestAsync(daemon, keyFile, folder);

            Assert.True(exitCode == 0, output);
            var second = await RetrievalDaemon.DocumentsAsync(client, collectionId);
            Assert.Equal(expected, second.Select(d => d.GetProperty("id").GetString()));
            var before = first.ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("sha256").GetString());
            var after = second.ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("sha256").GetString());
            Assert.NotEqual(before["site-docs_gateway-firmware-changelog.txt"], after["site-docs_gateway-firmware-changelog.txt"]);
            Assert.All(expected.Where(id => id != "site-docs_gateway-firmware-changelog.txt"), id => Assert.Equal(before[id], after[id]));
            var edited = await RetrievalDaemon.GetAsync(client, $"/v1/collections/{collectionId}/documents/site-docs_gateway-firmware-changelog.txt?include_chunks=true");
            Assert.Contains(edited.GetProperty("chunks").EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains("zq-revision-marker", StringComparison.Ordinal));
            var shown = await RetrievalDaemon.GetAsync(client, $"/v1/collections/{collectionId}");
            Assert.Equal(expected.Length, shown.GetProperty("document_count").GetInt32());
            Assert.Equal(second.Sum(d => d.GetProperty("chunk_count").GetInt64()), shown.GetProperty("chunk_count").GetInt64());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task ABadKeyExitsWithCode1AndTheDaemonsMessage()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        var work = Directory.CreateTempSubdirectory("edgellm-ingest-").FullName;
        try
        {
            var badKey = daemon.ApiKey![..^6] + "AAAAAA";
            var keyFile = Path.Combine(work, "bad.key");
            await File.WriteAllTextAsync(keyFile, badKey);
            using var client = new HttpClient { BaseAddress = daemon.Address };
            client.DefaultRequestHeaders.Authorization = new("Bearer", badKey);
            using var refused = await client.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            var message = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            var (exitCode, output) = await IngestAsync(daemon, keyFile, SiteDocuments(work));

            Assert.True(exitCode == 1, output);
            Assert.Contains(message, output, StringComparison.Ordinal);
            Assert.Contains("401", output, StringComparison.Ordinal);
            using var owner = RetrievalDaemon.Client(daemon, daemon.ApiKey!);
            Assert.Empty((await RetrievalDaemon.GetAsync(owner, "/v1/collections")).GetProperty("data").EnumerateArray());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task AnInferenceOnlyKeyCannotCreateTheCollectionAndExitsWithCode1()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        var work = Directory.CreateTempSubdirectory("edgellm-ingest-").FullName;
        try
        {
            var keyFile = Path.Combine(work, "inference.key");
            await File.WriteAllTextAsync(keyFile, daemon.ApiKey);

            var (exitCode, output) = await IngestAsync(daemon, keyFile, SiteDocuments(work));

            Assert.True(exitCode == 1, output);
            Assert.Contains("403 insufficient_scope", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output)> IngestAsync(EdgeLlmProcess daemon, string keyFile, string folder) =>
        EdgeLlmProcess.RunToEndAsync(["ingest", "--collection", "site-docs", "--create", "--key-file", keyFile, "--url", daemon.Address.ToString(), folder]);

    /// <summary>
    /// A copy of the fixtures as a site's document folder: the four documents (the .docx written out), their
    /// README, a nested folder with a .markdown and an .htm file, and files the command must skip (the
    /// fixtures' .cs files, a PDF, a CSV).
    /// </summary>
    private static string SiteDocuments(string work)
    {
        var folder = Path.Combine(work, "site-docs");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(FixturesFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllBytes(Path.Combine(folder, LeavePolicyDocument.FileName), LeavePolicyDocument.Build());
        Directory.CreateDirectory(Path.Combine(folder, "shift"));
        File.WriteAllText(Path.Combine(folder, "shift", "hand-over.markdown"), "# Shift hand-over\n\nRead the stroke counter of the HP-4200 and write it into the log book.\n");
        Directory.CreateDirectory(Path.Combine(folder, "archive"));
        File.Copy(Path.Combine(FixturesFolder, "conveyor-lockout-instruction.html"), Path.Combine(folder, "archive", "old-lockout.htm"));
        File.WriteAllText(Path.Combine(folder, "drawing.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n");
        File.WriteAllText(Path.Combine(folder, "readings.csv"), "press,counter\nHP-4200,118233\n");
        Assert.Contains(Directory.EnumerateFiles(folder), f => f.EndsWith(".cs", StringComparison.Ordinal));
        return folder;
    }
}
