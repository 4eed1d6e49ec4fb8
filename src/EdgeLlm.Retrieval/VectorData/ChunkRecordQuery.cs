using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// What a filtered get's expression and options mean for a scan of chunk rows in id order: where the scan
/// may start, and how to sort what it found.
/// </summary>
internal static class ChunkRecordQuery
{
    /// <summary>
    /// The id after which the scan may start: a filter such as <c>r =&gt; r.Id &gt; last &amp;&amp; ...</c> excludes
    /// every row up to <c>last</c>, and starting there turns keyset paging through a collection (the usual
    /// way to read one out page by page) into one pass instead of a rescan per page. Only a bound at the top
    /// level of the filter (or of its <c>&amp;&amp;</c> parts) counts; anything else starts at the beginning.
    /// The compiled filter still runs on every row read, so this only skips rows it would reject.
    /// </summary>
    public static long ScanStartsAfter(Expression<Func<ChunkRecord, bool>> filter) =>
        StartsAfter(filter.Body, filter.Parameters[0]) ?? long.MinValue;

    /// <summary>Sorts <paramref name="records"/> by the options' order; stable, so ties stay in id order.</summary>
    public static IEnumerable<ChunkRecord> Sort(IEnumerable<ChunkRecord> records, FilteredRecordRetrievalOptions<ChunkRecord> options)
    {
        var sorts = options.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<ChunkRecord>.OrderByDefinition()).Values ?? [];
        IOrderedEnumerable<ChunkRecord>? sorted = null;
        foreach (var sort in sorts)
        {
            var key = sort.PropertySelector.Compile();
            sorted = (sorted, sort.Ascending) switch
            {
                (null, true) => records.OrderBy(key, SortOrder.Instance),
                (null, false) => records.OrderByDescending(key, SortOrder.Instance),
                (_, true) => sorted.ThenBy(key, SortOrder.Instance),
                _ => sorted.ThenByDescending(key, SortOrder.Instance),
            };
        }

        return sorted ?? records;
    }

    private static long? StartsAfter(Expression body, ParameterExpression record) => body switch
    {
        BinaryExpression { NodeType: ExpressionType.AndAlso } both => Max(StartsAfter(both.Left, record), StartsAfter(both.Right, record)),
        BinaryExpression { NodeType: ExpressionType.GreaterThan } b when IsKey(b.Left, record) => Bound(b.Right),
        BinaryExpression { NodeType: ExpressionType.LessThan } b when IsKey(b.Right, record) => Bound(b.Left),
        BinaryExpression { NodeType: ExpressionType.GreaterThanOrEqual } b when IsKey(b.Left, record) => Below(Bound(b.Right)),
        BinaryExpression { NodeType: ExpressionType.LessThanOrEqual } b when IsKey(b.Right, record) => Below(Bound(b.Left)),
        _ => null,
    };

    private static bool IsKey(Expression expression, ParameterExpression record) =>
        expression is MemberExpression { Member.Name: nameof(ChunkRecord.Id) } member && member.Expression == record;

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static long? Below(long? bound) => bound is { } value && value > long.MinValue ? value - 1 : null;

    /// <summary>The value of a constant or captured variable compared with the key; null for anything that would need running.</summary>
    private static long? Bound(Expression expression) => TryEvaluate(expression, out var value) ? value switch
    {
        long l => l,
        int i => i,
        _ => null,
    } : null;

    private static bool TryEvaluate(Expression expression, out object? value)
    {
        value = null;
        switch (expression)
        {
            case ConstantExpression constant:
                value = constant.Value;
                return true;
            case UnaryExpression { NodeType: ExpressionType.Convert } convert:
                return TryEvaluate(convert.Operand, out value);
            case MemberExpression { Member: FieldInfo field } member:
                object? owner = null;
                if (member.Expression is not null && (!TryEvaluate(member.Expression, out owner) || owner is null))
                {
                    return false;
                }

                value = field.GetValue(owner);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Orders sort keys as SQL would: strings by code point (culture-independent), everything else by its own comparison, nulls first.</summary>
    private sealed class SortOrder : IComparer<object?>
    {
        public static readonly SortOrder Instance = new();

        public int Compare(object? x, object? y) =>
            x is string a && y is string b ? string.CompareOrdinal(a, b) : Comparer<object?>.Default.Compare(x, y);
    }
}
