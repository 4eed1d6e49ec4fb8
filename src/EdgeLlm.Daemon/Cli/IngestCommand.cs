using System.CommandLine;
using System.Net.Http.Headers;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm ingest --collection C PATH...</c>: uploads files and folders to a running daemon's collection
/// over its API (so the daemon's embedding model and in-memory index stay the only ones), then follows the
/// ingest jobs with a progress bar. A file keeps a stable document id (its path), so ingesting a folder
/// again replaces its documents instead of duplicating them.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var collection = new Option<string>("--collection") { Description = "Collection name or id.", Required = true };
        var url = new Option<string>("--url") { Description = "The daemon's address.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var keyFile = new Option<string?>("--key-file") { Description = "File holding an API key with the ingest scope (else $EDGELLM_API_KEY)." };
        var create = new Option<bool>("--create") { Description = "Create the collection if it does not exist." };
        var tags = new Option<string[]>("--tag") { Description = "Tag every document (repeatable).", AllowMultipleArgumentsPerToken = false };
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders (.txt .md .html .docx, searched recursively).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("ingest", "Add documents to a collection of a running daemon, with progress.")
        {
            collection, url, keyFile, create, tags, paths,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new IngestArguments(parse.GetValue(collection)!, parse.GetValue(url)!, parse.GetValue(keyFile), parse.GetValue(create), parse.GetValue(tags) ?? [], parse.GetValue(paths) ?? []),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IngestArguments arguments, CancellationToken cancellationToken)
    {
        var key = arguments.KeyFile is not null ? (await File.ReadAllTextAsync(arguments.KeyFile, cancellationToken)).Trim() : Environment.GetEnvironmentVariable("EDGELLM_API_KEY");
        if (string.IsNullOrEmpty(key))
        {
            await Console.Error.WriteLineAsync("edgellm ingest: give an API key with --key-file or EDGELLM_API_KEY.");
            return 2;
        }

        var files = IngestFiles.Find(arguments.Paths, out var missing);
        if (missing.Count > 0)
        {
            await Console.Error.WriteLineAsync("edgellm ingest: no such file or folder: " + string.Join(", ", missing));
            return 2;
        }

        if (files.Count == 0)
        {
            await Console.Error.WriteLineAsync("edgellm ingest: no .txt, .md, .html or .docx files found.");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(arguments.Url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var client = new IngestClient(http);
        try
        {
            var collectionId = await client.ResolveCollectionAsync(arguments.Collection, arguments.Create, cancellationToken);
            if (collectionId is null)
            {
                await Console.Error.WriteLineAsync($"edgellm ingest: no collection '{arguments.Collection}' (add --create to make it).");
                return 1;
            }

            var progress = new IngestProgress(files.Count, Console.Out, !Console.IsOutputRedirected);
            var failed = await client.IngestAsync(collectionId, files, arguments.Tags, progress, cancellationToken);
            progress.Finish();
            return failed == 0 ? 0 : 1;
        }
        catch (IngestClientException ex)
        {
            await Console.Error.WriteLineAsync("edgellm ingest: " + ex.Message);
            return 1;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"edgellm ingest: cannot reach the daemon at {arguments.Url}: {ex.Message}");
            return 1;
        }
    }
}

/// <summary>What <c>edgellm ingest</c> was given.</summary>
internal sealed record IngestArguments(string Collection, string Url, string? KeyFile, bool Create, IReadOnlyList<string> Tags, IReadOnlyList<string> Paths);
