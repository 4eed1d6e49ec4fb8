using EdgeLlm.Retrieval.Store;
using EdgeLlm.Testing;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Tests.Store;

/// <summary>What a full disk really throws, on a small tmpfs, is recognised; other failures are not.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void AFileWriteOnAFullFileSystemIsRecognisedAsDiskFull()
    {
        using var tmpfs = SmallTmpfs.Mount(1 << 20);
        tmpfs.Fill();

        var thrown = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes(Path.Combine(tmpfs.Path, "more"), new byte[64 * 1024]));

        Assert.True(DiskFull.Is(thrown), thrown.ToString());
    }

    [Fact]
    public void ASqliteWriteOnAFullFileSystemIsRecognisedAsDiskFull()
    {
        using var tmpfs = SmallTmpfs.Mount(1 << 20);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(tmpfs.Path, "full.db"), Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE blobs (data BLOB);";
            create.ExecuteNonQuery();
        }

        tmpfs.Fill();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO blobs VALUES (zeroblob(262144))";

        var thrown = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());

        Assert.Equal(13, thrown.SqliteErrorCode);
        Assert.True(DiskFull.Is(thrown));
    }

    [Fact]
    public void OtherStorageFailuresAreNotTakenForAFullDisk()
    {
        var missing = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

        Assert.False(DiskFull.Is(missing));
        Assert.False(DiskFull.Is(new SqliteException("constraint failed", 19)));
        Assert.False(DiskFull.Is(new InvalidOperationException("wrapped", new SqliteException("busy", 5))));
        Assert.True(DiskFull.Is(new InvalidOperationException("wrapped", new SqliteException("full", 13))));
    }
}
