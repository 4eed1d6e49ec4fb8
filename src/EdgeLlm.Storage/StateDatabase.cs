using LiteDB;

namespace EdgeLlm.Storage;

/// <summary>
/// The owner of <c>state.db</c>, the control-plane LiteDB file: opened once per process and shared by the stores that
/// keep their collections in it (API keys, the update journal). Shared connection mode, because the <c>edgellm keys</c>
/// and <c>edgellm import</c> commands open the same file while the daemon runs.
/// </summary>
public sealed class StateDatabase(string path) : IDisposable
{
    private readonly LiteDatabase _database = new(new ConnectionString { Filename = path, Connection = ConnectionType.Shared });

    public string Path { get; } = path;

    /// <summary>The database, for a store to take its collections and transactions from; the stores never dispose it.</summary>
    public ILiteDatabase Database => _database;

    public void Dispose() => _database.Dispose();
}
