using System.CommandLine;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm channel index</c>: a publisher's tool for freeze protection. Writes <c>channel.json</c> (channel,
/// newest sequence, issued now, expires soon) into the published folder, beside <c>manifest.json</c>; the publisher
/// signs it with the stock <c>minisign -Sm DIR/channel.json</c> and re-issues it well before it expires (from cron).
/// Without <c>--channel</c> or <c>--sequence</c> they are taken from the folder's <c>manifest.json</c>.
/// </summary>
internal static class ChannelCommand
{
    public static Command Create()
    {
        var channel = new Option<string?>("--channel") { Description = "Update channel, e.g. stable (default: the folder's manifest.json)." };
        var sequence = new Option<long?>("--sequence") { Description = "The channel's newest bundle sequence (default: the folder's manifest.json)." };
        var expires = new Option<string>("--expires-in") { Description = "How long the index holds, e.g. 2d; re-issue it before then.", DefaultValueFactory = _ => "2d" };
        var output = new Option<string>("--out") { Description = "The published folder (the one devices pull from).", Required = true };
        var index = new Command("index", "Write a channel index (channel.json) into the published folder; then sign it: minisign -Sm DIR/channel.json")
        {
            channel, sequence, expires, output,
        };
        index.SetAction(async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            if (!Durations.TryParse(parse.GetValue(expires)!, out var lifetime))
            {
                await Console.Error.WriteLineAsync("edgellm channel index: --expires-in takes a number and d, h or m, e.g. 2d.");
                return 2;
            }

            var published = File.Exists(Path.Combine(directory, BundleVerifier.ManifestFile))
                ? BundleManifestReader.TryRead(File.ReadAllBytes(Path.Combine(directory, BundleVerifier.ManifestFile)), out _)
                : null;
            if ((parse.GetValue(channel) ?? published?.Channel) is not { } name || (parse.GetValue(sequence) ?? published?.Sequence) is not { } newest)
            {
                await Console.Error.WriteLineAsync($"edgellm channel index: give --channel and --sequence, or --out a folder with a readable {BundleVerifier.ManifestFile}.");
                return 2;
            }

            var now = DateTimeOffset.UtcNow;
            try
            {
                var path = await ChannelIndexFile.WriteAsync(new ChannelIndex(name, newest, now, now + lifetime), directory, cancellationToken);
                Console.WriteLine($"wrote {path}: channel {name}, sequence {newest}, expires {now + lifetime:O}");
                Console.WriteLine($"now sign it: minisign -Sm {path}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync("edgellm channel index: " + ex.Message);
                return 2;
            }
        });
        return new Command("channel", "Signed channel indexes (freeze protection for pulled updates).") { index };
    }
}
