namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>A temporary folder for benchmark databases, removed afterwards.</summary>
internal sealed class BenchmarkDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("edgellm-bench-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
