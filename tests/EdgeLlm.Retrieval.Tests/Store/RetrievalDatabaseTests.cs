using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Tests.Store;

public sealed class RetrievalDatabaseTests
{
    [Fact]
    public void TheFileIsInWalModeWithFullSynchronousAndForeignKeys()
    {
        using var db = new TestDatabase();

        Assert.Equal("wal", db.Text("PRAGMA journal_mode"));
        Assert.Equal(2, db.Scalar("PRAGMA synchronous"));
        Assert.Equal(1, db.Scalar("PRAGMA foreign_keys"));
        Assert.Equal(1, db.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public void AFileFromANewerDaemonIsRefusedRatherThanMisread()
    {
        using var db = new TestDatabase();
        db.Scalar("PRAGMA user_version = 7");
        SqliteConnection.ClearAllPools();

        var reopened = new RetrievalDatabase(db.Wrapped);
        var error = Assert.Throws<InvalidOperationException>(() => reopened.Open().Dispose());

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
    }
}
