using LiteDB;

namespace EdgeLlm.Storage;

/// <summary>
/// The owner of <c>state.db</c>, the control-plane LiteDB file: opened once per process and shared by the stores that
/// keep their collections in it (API keys, the update journal). Shared connection mode, because the <c>edgellm keys</c>
/// and <c>edgellm import</c> commands open the same file while the daemon runs.
/// </summary>
public sealed class StateDatabase : IDisposable
{
    private readonly LiteDatabase _database;

    /// <summary>Opens the file, creating it and its folder when missing (keys can be made before the daemon's first start).</summary>
    public StateDatabase(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared });
        Path = path;
    }

    public string Path { get; }

    /// <summary>The database, for a store to take its collections and transactions from; the stores never dispose it.</summary>
    public ILiteDatabase Database => _database;

    public void Dispose() => _database.Dispose();
}
