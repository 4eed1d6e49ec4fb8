using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

public sealed class PolicyRefusalTests
{
    public static TheoryData<string, string, string> BadDocuments => new()
    {
        { PolicyDocuments.With(""" "detectors": { "card": { "output": "shred" } } """), "$.detectors.card.output", "allow, redact, mask, block, flag" },
        { PolicyDocuments.With(""" "detectors": { "ssn": { "input": "redact" } } """), "$.detectors.ssn", "unknown member" },
        { PolicyDocuments.With(""" "detectors": { "email": { "min_score": 1.5 } } """), "$.detectors.email.min_score", "between 0 and 1" },
        { PolicyDocuments.With(""" "detectors": { "email": { "context_words": ["ok", " "] } } """), "$.detectors.email.context_words[1]", "non-blank" },
        { PolicyDocuments.With(""" "detectors": { "email": { "sideways": "redact" } } """), "$.detectors.email.sideways", "unknown member" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "Bad Name", "pattern": "x" } ] } """), "$.detectors.custom[0].name", "lower-case" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "emp", "pattern": "x", "checksum": "crc32" } ] } """), "$.detectors.custom[0].checksum", "luhn or mod97" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "emp" } ] } """), "$.detectors.custom[0].pattern", "required" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "emp", "pattern": "x", "max_length": 100000 } ] } """), "$.detectors.custom[0].max_length", "between 1 and" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "emp", "pattern": "x" }, { "name": "emp", "pattern": "y" } ] } """), "$.detectors.custom[1].name", "already named" },
        { PolicyDocuments.With(""" "detectors": { "custom": [ { "name": "emp", "pattern": "(\\d+" } ] } """), "$.detectors.custom[0].pattern", "not a valid regular expression" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a", "keywords": ["x"] }, { "name": "b", "keywords": ["y"] }, { "name": "c", "keywords": ["z"] }, { "name": "d", "patterns": ["ok", "[unclosed"] } ] """), "$.deny[3].patterns[1]", "not a valid regular expression" },
        { PolicyDocuments.With(""" "deny": [ { "name": "backref", "patterns": ["(a+)\\1"] } ] """), "$.deny[0].patterns[0]", "linear-time" },
        { PolicyDocuments.With(""" "deny": [ { "name": "lookahead", "patterns": ["secret(?=s)"] } ] """), "$.deny[0].patterns[0]", "linear-time" },
        { PolicyDocuments.With(""" "deny": [ { "name": "lookbehind", "patterns": ["(?<!top )secret"] } ] """), "$.deny[0].patterns[0]", "linear-time" },
        { PolicyDocuments.With(""" "deny": [ { "name": "atomic", "patterns": ["(?>a+)b"] } ] """), "$.deny[0].patterns[0]", "linear-time" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a", "directions": ["input", "sideways"], "keywords": ["x"] } ] """), "$.deny[0].directions[1]", "input, output, retrieved" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a", "directions": [], "keywords": ["x"] } ] """), "$.deny[0].directions", "at least one" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a" } ] """), "$.deny[0]", "at least one keyword or pattern" },
        { PolicyDocuments.With(""" "deny": [ { "keywords": ["x"] } ] """), "$.deny[0].name", "name is required" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a", "keywords": ["x"] }, { "name": "a", "keywords": ["y"] } ] """), "$.deny[1].name", "already named" },
        { PolicyDocuments.With(""" "deny": [ { "name": "a", "patterns": [""] } ] """), "$.deny[0].patterns[0]", "1-512 characters" },
        { PolicyDocuments.With(""" "deny": [ null ] """), "$.deny[0]", "must be an object" },
        { PolicyDocuments.With($$""" "deny": [ { "name": "long", "patterns": ["{{new string('x', PolicyLimits.MaxPatternLength + 1)}}"] } ] """), "$.deny[0].patterns[0]", "1-512 characters" },
        { PolicyDocuments.With($$""" "deny": [ { "name": "long", "keywords": ["ok", "{{new string('k', PolicyLimits.MaxWordLength + 1)}}"] } ] """), "$.deny[0].keywords[1]", "at most 128 characters" },
        { PolicyDocuments.With($$""" "detectors": { "custom": [ { "name": "long", "pattern": "{{new string('x', PolicyLimits.MaxPatternLength + 1)}}" } ] } """), "$.detectors.custom[0].pattern", "at most 512 characters" },
        { PolicyDocuments.With(""" "guard": { "model": "g", "directions": ["retrieved"] } """), "$.guard.directions[0]", "input, output" },
        { PolicyDocuments.With(""" "guard": { "directions": ["input"] } """), "$.guard.model", "model is required" },
        { PolicyDocuments.With(""" "guard": { "model": "g", "timeout": "2 seconds" } """), "$.guard.timeout", "ISO 8601" },
        { PolicyDocuments.With(""" "guard": { "model": "g", "timeout": "PT1H" } """), "$.guard.timeout", "between" },
        { PolicyDocuments.With(""" "guard": { "model": "g", "categories": ["S1", "S2,S3"] } """), "$.guard.categories[1]", "a category is" },
        { PolicyDocuments.With(""" "guard": { "model": "g", "categories": ["violent crimes"] } """), "$.guard.categories[0]", "a category is" },
        { PolicyDocuments.With(""" "failure_mode": "ajar" """), "$.failure_mode", "open or closed" },
        { PolicyDocuments.With(""" "restore_redactions": "yes" """), "$.restore_redactions", "wrong type" },
        { PolicyDocuments.With(""" "colour": "blue" """), "$.colour", "unknown member" },
        { PolicyDocuments.With(""" "tenants": { "acme": { "detectors": { "card": { "input": "shred" } } } } """), "$.tenants.acme.detectors.card.input", "allow, redact" },
        { PolicyDocuments.With(""" "tenants": { "acme": { "version": "2" } } """), "$.tenants.acme.version", "unknown member" },
        { PolicyDocuments.With(""" "tenants": { "not a tenant": {} } """), "$.tenants", "not a tenant name" },
        { PolicyDocuments.With(""" "tenants": { "acme.eu": { "failure_mode": "ajar" } } """), "$.tenants['acme.eu'].failure_mode", "open or closed" },
        { PolicyDocuments.With(""" "tenants": { "acme.eu": { "colour": "blue" } } """), "$.tenants['acme.eu'].colour", "unknown member" },
        { PolicyDocuments.With(""" "tenants": { "acme": {}, "acme": {} } """), "$.tenants.acme", "twice" },
        { PolicyDocuments.With(""" "tenants": { "acme": null } """), "$.tenants.acme", "must be an object" },
        { """{ "detectors": {} }""", "$.version", "version is required" },
        { """{ "version": "1 beta" }""", "$.version", "version is required" },
        { """{ "version": "1", "version": "2" }""", "$.version", "twice" },
        { """{ "version": "1", }""", "$", "not valid JSON" },
        { "null", "$", "empty" },
        { "[]", "$", "wrong type" },
        { "", "$", "not valid JSON" },
        { """{ "version": 1 }""", "$.version", "wrong type" },
        { PolicyDocuments.With(""" "detectors": { "email": { "min_score": "0.5" } } """), "$.detectors.email.min_score", "wrong type" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void ABadDocumentIsRefusedWithThePathOfItsProblem(string json, string path, string says)
    {
        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(json));

        Assert.Equal(path, refused.Path);
        Assert.Contains(says, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefused()
    {
        byte[] json = [.. "{ \"version\": \""u8, 0xFF, 0xFE, .. "\" }"u8];

        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(json));

        Assert.Equal(("$", "not valid UTF-8"), (refused.Path, refused.Message));
    }

    [Fact]
    public void ARefusalDoesNotRepeatTheOffendingPattern()
    {
        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(
            PolicyDocuments.With(""" "deny": [ { "name": "a", "patterns": ["jane\\.doe@corp\\.example(unclosed"] } ] """)));

        Assert.DoesNotContain("jane", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyKeywordsInOneRuleAreRefusedAtTheList()
    {
        var keywords = string.Join(", ", Enumerable.Range(0, PolicyLimits.MaxKeywordsPerRule + 1).Select(i => $"\"word{i}\""));

        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(PolicyDocuments.With($$""" "deny": [ { "name": "a", "keywords": [{{keywords}}] } ] """)));

        Assert.Equal("$.deny[0].keywords", refused.Path);
    }

    [Fact]
    public void ADocumentNestedAHundredThousandDeepIsRefusedWithoutRecursingIntoIt()
    {
        var deep = PolicyDocuments.With($$""" "deny": [ { "name": "a", "keywords": {{new string('[', 100_000)}} """);

        var refused = Assert.IsType<PolicyLoadResult.Refused>(PolicyReader.Read(deep));

        Assert.StartsWith("$.deny[0].keywords", refused.Path, StringComparison.Ordinal);
    }
}
