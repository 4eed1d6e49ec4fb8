using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Search;

/// <summary>
/// A <see cref="SearchFilter"/> as SQL conditions over <c>chunks k</c> joined to <c>documents d</c>, always
/// scoped to one collection. Values travel as parameters, never as text in the statement.
/// </summary>
internal static class ChunkFilterSql
{
    public const string From = "FROM chunks k JOIN documents d ON d.collection_id = k.collection_id AND d.id = k.document_id";

    /// <summary>
    /// The same rows driven by <paramref name="driver"/> (e.g. the FTS matches or a list of ids), whose rows
    /// give <c>k.id</c> as <paramref name="driverId"/>. CROSS JOIN fixes the loop order in SQLite: without it the
    /// planner may walk every chunk of the collection and probe the driver for each.
    /// </summary>
    public static string FromDrivenBy(string driver, string driverId) =>
        $"FROM {driver} CROSS JOIN chunks k ON k.id = {driverId} JOIN documents d ON d.collection_id = k.collection_id AND d.id = k.document_id";

    public static string Where(SqliteCommand command, string collectionId, SearchFilter? filter)
    {
        command.Parameters.AddWithValue("$collection", collectionId);
        var conditions = new List<string> { "k.collection_id = $collection" };
        if (filter?.DocumentIds is { } documents)
        {
            conditions.Add($"k.document_id IN ({Parameters(command, "$doc", documents)})");
        }

        if (filter?.Tags is { } tags)
        {
            conditions.Add($"EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value IN ({Parameters(command, "$tag", tags)}))");
        }

        if (filter?.Source is { } source)
        {
            command.Parameters.AddWithValue("$source", source);
            conditions.Add("d.source = $source");
        }

        return "WHERE " + string.Join(" AND ", conditions);
    }

    private static string Parameters(SqliteCommand command, string prefix, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return "NULL";
        }

        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, values[i]);
            names.Add(name);
        }

        return string.Join(", ", names);
    }
}
