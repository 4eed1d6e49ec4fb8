using EdgeLlm.Retrieval.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>A real retrieval.db in a temporary folder, with the stores over it.</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgellm-retrieval-").FullName;

    public TestDatabase(Action<RetrievalOptions>? configure = null)
    {
        Options = new RetrievalOptions { DatabasePath = Path.Combine(_directory, "retrieval.db") };
        configure?.Invoke(Options);
        Database = new RetrievalDatabase(Microsoft.Extensions.Options.Options.Create(Options));
        Collections = new CollectionStore(Database, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
        Documents = new DocumentStore(Database, TimeProvider.System);
        Jobs = new IngestJobStore(Database, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
    }

    public RetrievalOptions Options { get; }

    public RetrievalDatabase Database { get; }

    public CollectionStore Collections { get; }

    public DocumentStore Documents { get; }

    public IngestJobStore Jobs { get; }

    public IOptions<RetrievalOptions> Wrapped => Microsoft.Extensions.Options.Options.Create(Options);

    public async Task<CollectionInfo> CreateCollectionAsync(string tenant, string name, int dimensions = 4) =>
        Assert.IsType<CreateCollectionResult.Created>(await Collections.CreateAsync(tenant, name, null, "test-model", dimensions, CancellationToken.None)).Collection;

    public long Scalar(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Text(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
