using System.Text;
using EdgeLlm.Inference.Constraints;
using static EdgeLlm.Inference.Tests.Constraints.CompiledSchema;

namespace EdgeLlm.Inference.Tests.Constraints;

public sealed class GrammarCacheTests
{
    private const string Person = """{"type":"object","properties":{"name":{"type":"string","maxLength":5},"age":{"type":"integer"}},"required":["name"]}""";

    private const string PersonReordered = """
        {
          "required": ["name"],
          "properties": { "age": { "type": "integer" }, "name": { "maxLength": 5, "type": "string" } },
          "type": "object"
        }
        """;

    [Fact]
    public void ASchemaCompiledOnceIsServedFromTheCache()
    {
        var cache = new GrammarCache(4);

        var first = cache.GetOrCompile(Parse(Person), strict: true);
        var second = cache.GetOrCompile(Parse(Person), strict: true);

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void KeyOrderAndWhitespaceDoNotChangeTheKeyButStrictnessDoes()
    {
        var cache = new GrammarCache(4);

        var first = cache.GetOrCompile(Parse(Person), strict: true);
        Assert.Same(first, cache.GetOrCompile(Parse(PersonReordered), strict: true));
        Assert.NotSame(first, cache.GetOrCompile(Parse(Person), strict: false));
        Assert.Equal(2, cache.Count);
        Assert.Equal(CanonicalSchemaKey.Of(Parse(Person), true), CanonicalSchemaKey.Of(Parse(PersonReordered), true));
        Assert.NotEqual(CanonicalSchemaKey.Of(Parse(Person), true), CanonicalSchemaKey.Of(Parse(Person.Replace("5", "6", StringComparison.Ordinal)), true));
    }

    [Fact]
    public void TheLeastRecentlyUsedCompilationIsEvictedFirst()
    {
        var cache = new GrammarCache(2);
        var a = cache.GetOrCompile(Parse("""{"type":"null"}"""), true);
        var b = cache.GetOrCompile(Parse("""{"type":"boolean"}"""), true);

        Assert.Same(a, cache.GetOrCompile(Parse("""{"type":"null"}"""), true)); // a is now the most recent
        cache.GetOrCompile(Parse("""{"type":"integer"}"""), true); // evicts b

        Assert.Equal(2, cache.Count);
        Assert.Same(a, cache.GetOrCompile(Parse("""{"type":"null"}"""), true));
        Assert.NotSame(b, cache.GetOrCompile(Parse("""{"type":"boolean"}"""), true));
    }

    [Fact]
    public void RefusalsAreCachedButOversizedSchemasAreNot()
    {
        var cache = new GrammarCache(4);

        var refused = cache.GetOrCompile(Parse("""{"type":"thing"}"""), true);
        Assert.Same(refused, cache.GetOrCompile(Parse("""{"type":"thing"}"""), true));
        var oversized = cache.GetOrCompile(Parse("{\"description\":\"" + new string('x', SchemaLimits.MaxSchemaBytes) + "\"}"), true);

        Assert.Equal("size", oversized.Rejection!.Keyword);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ManyThreadsNeverPushTheCountPastTheCapacity()
    {
        var cache = new GrammarCache(3);
        var schemas = Enumerable.Range(0, 12).Select(i => $$"""{"type":"integer","minimum":0,"maximum":{{i}}}""").ToArray();
        var highest = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var compilation = cache.GetOrCompile(Parse(schemas[i % schemas.Length]), true);
            Assert.NotNull(compilation.Grammar);
            InterlockedMax(ref highest, cache.Count);
        });

        Assert.InRange(highest, 1, 3);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void ACapacityBelowOneIsAnError() => Assert.Throws<ArgumentOutOfRangeException>(() => new GrammarCache(0));

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
