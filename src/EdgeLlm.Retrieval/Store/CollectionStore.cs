using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// Collections and who owns them. Every read takes the caller's tenant: a collection of another tenant is
/// indistinguishable from one that does not exist.
/// </summary>
public sealed class CollectionStore(RetrievalDatabase database, IOptions<RetrievalOptions> options, TimeProvider time)
{
    private const string SelectColumns = "SELECT c.id, c.name, c.description, c.embedding_model, c.dimensions, c.created_at FROM collections c";

    public Task<CreateCollectionResult> CreateAsync(string tenant, string name, string? description, string embeddingModel, int dimensions, CancellationToken cancellationToken) =>
        database.WriteAsync<CreateCollectionResult>((connection, transaction) =>
        {
            using (var count = connection.Command("SELECT COUNT(*) FROM collections WHERE tenant = $tenant", transaction, ("$tenant", tenant)))
            {
                if ((long)count.ExecuteScalar()! >= options.Value.MaxCollectionsPerTenant)
                {
                    return new CreateCollectionResult.LimitReached(options.Value.MaxCollectionsPerTenant);
                }
            }

            using (var taken = connection.Command("SELECT 1 FROM collections WHERE tenant = $tenant AND name = $name", transaction, ("$tenant", tenant), ("$name", name)))
            {
                if (taken.ExecuteScalar() is not null)
                {
                    return new CreateCollectionResult.NameTaken();
                }
            }

            var id = StoreIds.NewCollectionId();
            var now = time.GetUtcNow();
            using var insert = connection.Command(
                "INSERT INTO collections (id, tenant, name, description, embedding_model, dimensions, created_at) VALUES ($id, $tenant, $name, $description, $model, $dimensions, $now)",
                transaction,
                ("$id", id), ("$tenant", tenant), ("$name", name), ("$description", description), ("$model", embeddingModel), ("$dimensions", dimensions), ("$now", SqliteCommands.UnixMilliseconds(now)));
            insert.ExecuteNonQuery();
            return new CreateCollectionResult.Created(new CollectionInfo(id, name, description, embeddingModel, dimensions, now));
        }, cancellationToken);

    /// <summary>The collection with this id or name, if the tenant owns it.</summary>
    public CollectionInfo? Find(string tenant, string idOrName)
    {
        using var connection = database.Open();
        using var command = connection.Command(SelectColumns + " WHERE c.tenant = $tenant AND (c.id = $key OR c.name = $key)", null, ("$tenant", tenant), ("$key", idOrName));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public IReadOnlyList<CollectionInfo> List(string tenant)
    {
        using var connection = database.Open();
        using var command = connection.Command(SelectColumns + " WHERE c.tenant = $tenant ORDER BY c.name", null, ("$tenant", tenant));
        using var reader = command.ExecuteReader();
        var collections = new List<CollectionInfo>();
        while (reader.Read())
        {
            collections.Add(Read(reader));
        }

        return collections;
    }

    /// <summary>The documents and chunks a collection holds.</summary>
    public CollectionCounts Count(string collectionId)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "SELECT (SELECT COUNT(*) FROM documents WHERE collection_id = $c), (SELECT COUNT(*) FROM chunks WHERE collection_id = $c)", null, ("$c", collectionId));
        using var reader = command.ExecuteReader();
        reader.Read();
        return new CollectionCounts(reader.GetInt32(0), reader.GetInt64(1));
    }

    /// <summary>Deletes the collection and everything in it (documents, chunks, vectors, jobs) in one transaction; no copy is left in the WAL.</summary>
    public Task<bool> DeleteAsync(string tenant, string collectionId, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var delete = connection.Command("DELETE FROM collections WHERE tenant = $tenant AND id = $id", transaction, ("$tenant", tenant), ("$id", collectionId));
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken, truncateLog: true);

    private static CollectionInfo Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetString(3),
        reader.GetInt32(4),
        SqliteCommands.FromUnixMilliseconds(reader.GetInt64(5)));
}

/// <summary>How creating a collection went.</summary>
public abstract record CreateCollectionResult
{
    public sealed record Created(CollectionInfo Collection) : CreateCollectionResult;

    public sealed record NameTaken : CreateCollectionResult;

    public sealed record LimitReached(int Limit) : CreateCollectionResult;
}
