using System.CommandLine;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm bundle create</c>: a publisher's tool. Copies the files into a new bundle folder and writes its
/// manifest (sizes, SHA-256, sequence, expiry, target); the publisher then signs it with the stock
/// <c>minisign -Sm DIR/manifest.json</c>.
/// </summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Bundle name.", Required = true };
        var channel = new Option<string>("--channel") { Description = "Update channel, e.g. stable.", DefaultValueFactory = _ => "stable" };
        var sequence = new Option<long>("--sequence") { Description = "Sequence number: higher than any bundle published on the channel before.", Required = true };
        var target = new Option<string>("--target") { Description = "Device class the bundle is for (setting Updates:DeviceClass on devices).", DefaultValueFactory = _ => "default" };
        var expires = new Option<string>("--expires-in") { Description = "How long the bundle stays installable, e.g. 30d, 12h.", DefaultValueFactory = _ => "30d" };
        var output = new Option<string>("--out") { Description = "The new bundle folder.", Required = true };
        var files = new Argument<string[]>("FILE") { Description = "Artifacts: .gguf files are models, edgellm-*.tar a daemon release (a .tar of a published daemon folder), NAME.policy.json the guardrail policy set NAME, anything else configuration.", Arity = ArgumentArity.OneOrMore };
        var create = new Command("create", "Write a bundle folder and its manifest.json; then sign it: minisign -Sm DIR/manifest.json")
        {
            name, channel, sequence, target, expires, output, files,
        };
        create.SetAction(async (parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetValue(expires)!, out var lifetime))
            {
                await Console.Error.WriteLineAsync("edgellm bundle create: --expires-in takes a number and d, h or m, e.g. 30d.");
                return 2;
            }

            var now = DateTimeOffset.UtcNow;
            var description = new BundleDescription(parse.GetValue(name)!, parse.GetValue(channel)!, parse.GetValue(sequence), now, now + lifetime, parse.GetValue(target)!);
            try
            {
                var directory = Path.GetFullPath(parse.GetValue(output)!);
                var manifest = await BundleWriter.WriteAsync(description, parse.GetValue(files)!, directory, cancellationToken);
                Console.WriteLine($"wrote {Path.Combine(directory, BundleVerifier.ManifestFile)}: {manifest.Artifacts.Count} artifact(s), sequence {manifest.Sequence}, expires {manifest.Expires:O}");
                Console.WriteLine($"now sign it: minisign -Sm {Path.Combine(directory, BundleVerifier.ManifestFile)}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync("edgellm bundle create: " + ex.Message);
                return 2;
            }
        });
        return new Command("bundle", "Signed update bundles.") { create };
    }
}
