using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Guardrails.Tests.Enforcement;

/// <summary>A candidate policy set on trial beside the one in force: who it screens, and what each side is told it did.</summary>
public sealed class PolicyCanaryTests
{
    private const string Active = """{ "version": "active-1", "deny": [ { "name": "no-alpha", "keywords": ["alpha"] } ] }""";

    private const string Candidate = """
        {
          "version": "candidate-2",
          "deny": [ { "name": "no-beta", "keywords": ["beta"] } ],
          "detectors": { "email": { "input": "block" } },
          "guard": { "model": "guard", "directions": ["input"] },
          "failure_mode": "open",
          "tenants": { "acme": { "deny": [ { "name": "no-gamma", "keywords": ["gamma"] } ] } }
        }
        """;

    private readonly SettableClock _clock = new();
    private readonly PolicyStore _store = new(Read(Active));
    private readonly PolicyOutcomes _outcomes;
    private readonly GuardrailEnforcer _enforcer;

    public PolicyCanaryTests()
    {
        _outcomes = new PolicyOutcomes(_clock);
        _enforcer = new GuardrailEnforcer(_store, Options.Create(new GuardrailsOptions()), NullLoggerFactory.Instance, new ScriptedGuard(new GuardVerdict.Unavailable("timeout")), _outcomes);
    }

    [Fact]
    public void WithoutACanaryEveryRequestIsScreenedByTheSetInForceAndNothingIsCounted()
    {
        var session = _enforcer.Begin(null, "key-1");

        Assert.Null(session.Side);
        Assert.Equal("no-alpha", session.Screen("alpha", GuardrailDirection.Input).BlockedBy);
        Assert.Equal(new PolicyWindow(0, 0, 0), _outcomes.Window(PolicySide.Active, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void TheSplitChoosesTheSideAndTheCandidateSetAppliesWithItsTenantsOwnPolicy()
    {
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), new KeySplit("key-c")));

        var onCandidate = _enforcer.Begin(null, "key-c");
        var onActive = _enforcer.Begin(null, "key-a");
        var tenantOnCandidate = _enforcer.Begin("acme", "key-c");

        Assert.Equal((PolicySide.Candidate, "candidate-2"), (onCandidate.Side, onCandidate.Policy.Version));
        Assert.Equal((PolicySide.Active, "active-1"), (onActive.Side, onActive.Policy.Version));
        Assert.Equal("no-beta", onCandidate.Screen("beta", GuardrailDirection.Input).BlockedBy);
        Assert.Null(onActive.Screen("beta", GuardrailDirection.Input).BlockedBy);
        Assert.Equal("no-gamma", tenantOnCandidate.Screen("gamma", GuardrailDirection.Input).BlockedBy);
        // The set in force is unchanged by a trial.
        Assert.Equal("active-1", _store.Current.Version);
    }

    [Fact]
    public void TheSplitSeesTheRequestsKeyAndUser()
    {
        var split = new KeySplit("user-7");
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), split));

        Assert.Equal(PolicySide.Candidate, _enforcer.Begin(null, null, "user-7").Side);
        Assert.Equal(PolicySide.Active, _enforcer.Begin(null, null, "user-8").Side);
        Assert.Contains((null, "user-7"), split.Asked);
    }

    [Fact]
    public async Task EachSideCountsItsRequestsAndEachRequestBlockedOrWithoutAGuardVerdictOnce()
    {
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), new KeySplit("key-c")));

        // Two blocks in one request count once; a block by a detector counts like one by a deny rule.
        var twice = _enforcer.Begin(null, "key-c");
        twice.Screen("beta", GuardrailDirection.Input);
        twice.Screen("beta again", GuardrailDirection.Input);
        _enforcer.Begin(null, "key-c").Screen("write to ann@example.com", GuardrailDirection.Input);
        var clean = _enforcer.Begin(null, "key-c");
        clean.Screen("a clean prompt", GuardrailDirection.Input);
        // The guard gives no verdict: the policy fails open, so it is let through, and counted as a guard failure.
        Assert.Null(await clean.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", "a clean prompt")], CancellationToken.None));
        _enforcer.Begin(null, "key-a").Screen("alpha", GuardrailDirection.Input);
        _enforcer.Begin(null, "key-a").Screen("beta", GuardrailDirection.Input);

        Assert.Equal(new PolicyWindow(3, 2, 1), _outcomes.Window(PolicySide.Candidate, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(new PolicyWindow(2, 1, 0), _outcomes.Window(PolicySide.Active, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void AWindowHoldsTheRequestsFromItsStartUpToButNotIncludingItsEnd()
    {
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), new KeySplit("key-c")));
        var start = _clock.Now;
        _enforcer.Begin(null, "key-c");
        _clock.Now += TimeSpan.FromMinutes(1);
        _enforcer.Begin(null, "key-c");
        _clock.Now += TimeSpan.FromMinutes(1);
        _enforcer.Begin(null, "key-c");

        Assert.Equal(2, _outcomes.Window(PolicySide.Candidate, start, start + TimeSpan.FromMinutes(2)).Requests);
        Assert.Equal(1, _outcomes.Window(PolicySide.Candidate, start + TimeSpan.FromMinutes(1), start + TimeSpan.FromMinutes(2)).Requests);
        _outcomes.Clear();
        Assert.Equal(0, _outcomes.Window(PolicySide.Candidate, start, start + TimeSpan.FromDays(1)).Requests);
    }

    [Fact]
    public void ABlockCountsInTheWindowItsRequestWasScreenedIn()
    {
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), new KeySplit("key-c")));
        var start = _clock.Now;
        var late = _enforcer.Begin(null, "key-c");
        _clock.Now += TimeSpan.FromSeconds(2);

        // Blocked after the window it was screened in had ended: counted there, never beside the next window's requests.
        late.Screen("beta", GuardrailDirection.Input);
        _enforcer.Begin(null, "key-c").Screen("a clean prompt", GuardrailDirection.Input);

        Assert.Equal(new PolicyWindow(1, 1, 0), _outcomes.Window(PolicySide.Candidate, start, start + TimeSpan.FromSeconds(2)));
        Assert.Equal(new PolicyWindow(1, 0, 0), _outcomes.Window(PolicySide.Candidate, start + TimeSpan.FromSeconds(2), start + TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void PastItsCapacityTheOldestOutcomesAreDropped()
    {
        var start = _clock.Now;
        for (var i = 0; i < PolicyOutcomes.Capacity + 10; i++)
        {
            _outcomes.Add(PolicySide.Active, PolicyOutcomes.OutcomeKind.Screened);
            if (i == 9)
            {
                _clock.Now += TimeSpan.FromSeconds(1);
            }
        }

        Assert.Equal(0, _outcomes.Window(PolicySide.Active, start, start + TimeSpan.FromSeconds(1)).Requests);
        Assert.Equal(PolicyOutcomes.Capacity, _outcomes.Window(PolicySide.Active, start, start + TimeSpan.FromDays(1)).Requests);
    }

    [Fact]
    public void RetiringTheCandidateSendsEveryRequestToTheSetInForceAgain()
    {
        var warmed = new List<string>();
        _store.Activated += set => warmed.Add(set.Version);
        _store.ActivateCandidate(new PolicyCanary(Read(Candidate), new KeySplit("key-c")));

        _store.RetireCandidate();

        var session = _enforcer.Begin(null, "key-c");
        Assert.Equal((null, "active-1"), (session.Side, session.Policy.Version));
        // The candidate was announced, so its detectors were prepared off the request path.
        Assert.Equal(["candidate-2"], warmed);
    }

    private static GuardrailPolicySet Read(string json) =>
        Assert.IsType<PolicyLoadResult.Loaded>(PolicyReader.Read(json)).Policies;

    /// <summary>Sends exactly one client to the candidate, and remembers whom it was asked about.</summary>
    private sealed class KeySplit(string client) : IPolicyCanarySplit
    {
        public List<(string?, string?)> Asked { get; } = [];

        public bool ToCandidate(string? apiKeyId, string? user)
        {
            Asked.Add((apiKeyId, user));
            return apiKeyId == client || user == client;
        }
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
