using System.Security.Cryptography;

namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>
/// A stand-in for node-llama-cpp's npm tarball as <c>scripts/natives-source.bash</c> reads it: a gzipped tar that
/// holds <c>package/llama/gitRelease.bundle</c>, a git bundle of a small llama.cpp tree made by git in the test.
/// </summary>
internal sealed record FakeNodeLlamaCppPackage(string Path, string Commit, string Sha256)
{
    /// <summary>Commits <paramref name="tree"/> to a new git repository and packs its bundle as <paramref name="tarball"/>.</summary>
    public static async Task<FakeNodeLlamaCppPackage> CreateAsync(string tree, string tarball)
    {
        string[] identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"];
        await Command.RunToolAsync("git", "-C", tree, "init", "-q", "-b", "master");
        await Command.RunToolAsync("git", "-C", tree, "add", "-A");
        await Command.RunToolAsync("git", ["-C", tree, .. identity, "commit", "-q", "-m", "fake llama.cpp"]);
        var commit = (await Command.RunToolAsync("git", "-C", tree, "rev-parse", "HEAD")).Trim();

        var staging = Directory.CreateTempSubdirectory("edgellm-fake-npm-package-").FullName;
        try
        {
            var bundle = System.IO.Path.Combine(staging, "package", "llama", "gitRelease.bundle");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(bundle)!);
            await Command.RunToolAsync("git", "-C", tree, "bundle", "create", "-q", bundle, "HEAD", "master");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(tarball)!);
            await Command.RunToolAsync("tar", "-czf", tarball, "-C", staging, "package");
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return new FakeNodeLlamaCppPackage(tarball, commit, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(tarball))));
    }
}
