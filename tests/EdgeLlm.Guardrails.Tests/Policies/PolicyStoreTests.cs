using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

public sealed class PolicyStoreTests
{
    [Fact]
    public void ANewStoreAppliesNoPolicyUntilOneIsActivated()
    {
        var store = new PolicyStore();

        Assert.Same(GuardrailPolicySet.None, store.Current);
        Assert.Empty(store.For("acme").Detectors);
        Assert.Null(store.For(null).Deny.Check("pipe bomb", GuardrailDirection.Input));
    }

    [Fact]
    public void AnActivatedPolicyAppliesToTheNextRead()
    {
        var store = new PolicyStore();

        Assert.True(store.TryActivate(PolicyDocuments.Full, out var refusal));

        Assert.Null(refusal);
        Assert.Equal("2026-12-03.1", store.Current.Version);
        Assert.Equal("weapons", store.For("initech").Deny.Check("a pipe bomb", GuardrailDirection.Input));
        Assert.Equal("acme", store.For("acme").Tenant);
    }

    [Fact]
    public void ARefusedReloadKeepsThePreviousPolicyActive()
    {
        var store = new PolicyStore();
        Assert.True(store.TryActivate(PolicyDocuments.Full, out _));
        var before = store.Current;
        var broken = PolicyDocuments.Full.Replace("\"block\"", "\"shred\"", StringComparison.Ordinal).Replace("2026-12-03.1", "2026-12-03.2", StringComparison.Ordinal);

        Assert.False(store.TryActivate(broken, out var refusal));

        Assert.Equal("$.detectors.iban.output", refusal.Path);
        Assert.Same(before, store.Current);
        Assert.Equal("2026-12-03.1", store.Current.Version);
    }

    [Fact]
    public void AHostileReloadFromBytesKeepsThePreviousPolicyActive()
    {
        var store = new PolicyStore();
        Assert.True(store.TryActivate(PolicyDocuments.Full, out _));
        var before = store.Current;
        var hostile = System.Text.Encoding.UTF8.GetBytes(PolicyDocuments.With(""" "deny": [ { "name": "evil", "patterns": ["(a)\\1"] } ] """));

        Assert.False(store.TryActivate(hostile, out var refusal));

        Assert.Equal("$.deny[0].patterns[0]", refusal.Path);
        Assert.Same(before, store.Current);
    }

    [Fact]
    public void ASetReadWhenStagedCanBeActivatedLater()
    {
        var store = new PolicyStore();
        var staged = Assert.IsType<PolicyLoadResult.Loaded>(PolicyReader.Read(PolicyDocuments.Full)).Policies;
        Assert.Same(GuardrailPolicySet.None, store.Current);

        store.Activate(staged);

        Assert.Same(staged, store.Current);
    }

    [Fact]
    public void ALaterValidPolicyReplacesTheEarlierOneWhole()
    {
        var store = new PolicyStore();
        Assert.True(store.TryActivate(PolicyDocuments.Full, out _));

        Assert.True(store.TryActivate("""{ "version": "2", "deny": [ { "name": "only", "keywords": ["x"] } ] }""", out _));

        Assert.Equal("2", store.Current.Version);
        Assert.Empty(store.Current.Tenants);
        Assert.Same(store.Current.Default, store.For("acme"));
        Assert.Null(store.For(null).Deny.Check("a pipe bomb", GuardrailDirection.Input));
        Assert.Equal("only", store.For(null).Deny.Check("x", GuardrailDirection.Output));
    }
}
