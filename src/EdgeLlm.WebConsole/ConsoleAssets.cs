using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.WebConsole;

/// <summary>
/// The console's script, style and icon, read once from the assembly and served under a name that carries a hash of
/// their bytes, so a browser may keep them for a year and a new build still reaches it at once.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string ResourcePrefix = "EdgeLlm.WebConsole.Assets.";
    private readonly FrozenDictionary<string, Asset> _byUrlName;
    private readonly FrozenDictionary<string, string> _urls;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new List<Asset>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var extension = Path.GetExtension(name);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
            assets.Add(new Asset(name, $"{Path.GetFileNameWithoutExtension(name)}.{hash}{extension}", bytes, ContentType(extension)));
        }

        _byUrlName = assets.ToFrozenDictionary(a => a.UrlName, StringComparer.Ordinal);
        _urls = assets.ToFrozenDictionary(a => a.Name, a => "/console/assets/" + a.UrlName, StringComparer.Ordinal);
    }

    /// <summary>The URL of an asset by its file name (<c>console.js</c>).</summary>
    public string Url(string name) => _urls[name];

    public static IResult ServeAsset(string file, HttpContext context, ConsoleAssets assets) => assets.Serve(file, context);

    public IResult Serve(string file, HttpContext context)
    {
        if (!_byUrlName.TryGetValue(file, out var asset))
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static string ContentType(string extension) => extension switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(string Name, string UrlName, byte[] Bytes, string ContentType);
}
