using Microsoft.Data.Sqlite;

namespace EdgeLlm.Api.Errors;

/// <summary>
/// Tells a full disk from other storage failures, whichever store met it: SQLite's <c>SQLITE_FULL</c>, or an
/// <see cref="IOException"/> for <c>ENOSPC</c>/<c>EDQUOT</c> (on Linux .NET puts the raw errno in the
/// <see cref="Exception.HResult"/>; on Windows the <c>ERROR_DISK_FULL</c>/<c>ERROR_HANDLE_DISK_FULL</c> HRESULTs),
/// also when wrapped (LiteDB and the stores rethrow with the cause inside).
/// </summary>
public static class DiskFullErrors
{
    private const int SqliteFull = 13;
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool IsDiskFull(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: SqliteFull }
                || current is IOException { HResult: NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull })
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsDiskFull))
            {
                return true;
            }
        }

        return false;
    }
}
