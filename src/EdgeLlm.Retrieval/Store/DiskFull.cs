using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// Recognises "the disk is full": SQLite's SQLITE_FULL, or an <see cref="IOException"/> whose HResult is
/// ENOSPC or EDQUOT (on Linux .NET puts the raw errno there; on Windows the ERROR_DISK_FULL HRESULTs), also when
/// wrapped (LiteDB and the stores rethrow with the cause inside). Such a failure is the device's state, not the
/// request's or the job's fault: it passes once space is freed. The API's error handler uses it too.
/// </summary>
public static class DiskFull
{
    private const int SqliteFull = 13;
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True when <paramref name="exception"/> or one it wraps says the disk (or the quota) is full.</summary>
    public static bool Is(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: SqliteFull }
                or IOException { HResult: NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull })
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }
        }

        return false;
    }
}
