using System.Diagnostics;

namespace EdgeLlm.Testing;

/// <summary>
/// Finds the small real GGUF models the tests run on. They live in the repo's ignored
/// <c>.models/</c> folder, filled by <c>scripts/fetch-models.sh</c> from ../shared/models or
/// from the public upstream (SHA-256 pinned). A missing model is fetched, never skipped.
/// </summary>
internal static class TestModels
{
    private static readonly Lock Gate = new();

    public static string Stories260K => Get("stories260K.gguf");

    public static string TinyRandomLlama2 => Get("llama-2-tiny-random.gguf");

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Get(string name)
    {
        var path = Path.Combine(RepositoryRoot, ".models", name);
        lock (Gate)
        {
            if (!File.Exists(path))
            {
                Fetch();
            }
        }

        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test model {name} is missing and scripts/fetch-models.sh could not provide it.", path);
    }

    private static void Fetch()
    {
        var script = Path.Combine(RepositoryRoot, "scripts", "fetch-models.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Could not start scripts/fetch-models.sh");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeLlm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (EdgeLlm.sln) above " + AppContext.BaseDirectory);
    }
}
