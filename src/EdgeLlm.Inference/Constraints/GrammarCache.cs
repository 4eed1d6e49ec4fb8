using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// A bounded, thread-safe LRU of schema compilations (grammars and refusals alike) keyed by
/// <see cref="CanonicalSchemaKey"/>. A schema refused by the size or depth pre-check is answered without hashing
/// and is not stored. Compilation runs outside the lock; two threads missing on the same schema may both compile
/// it, and the second result replaces the first.
/// </summary>
public sealed class GrammarCache
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, SchemaCompilation Compilation)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, SchemaCompilation Compilation)> _recency = new();

    /// <param name="capacity">Most compilations kept (at least 1); the least recently used goes first.</param>
    public GrammarCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Compilations held now, never more than the capacity.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public SchemaCompilation GetOrCompile(JsonElement schema, bool strict)
    {
        if (SchemaPrescan.Check(schema) is { } rejection)
        {
            return SchemaCompilation.Refused(rejection);
        }

        var key = CanonicalSchemaKey.Of(schema, strict);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Compilation;
            }
        }

        var compilation = JsonSchemaGrammar.Compile(schema, strict);
        lock (_gate)
        {
            if (_entries.Remove(key, out var raced))
            {
                _recency.Remove(raced);
            }

            _entries[key] = _recency.AddFirst((key, compilation));
            while (_entries.Count > _capacity)
            {
                _entries.Remove(_recency.Last!.Value.Key);
                _recency.RemoveLast();
            }
        }

        return compilation;
    }
}
