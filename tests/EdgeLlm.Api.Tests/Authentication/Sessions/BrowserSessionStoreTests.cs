using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Storage;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Api.Tests.Authentication.Sessions;

public sealed class BrowserSessionStoreTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(8);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly StateDatabase _state;
    private readonly ApiKeyStore _keys;
    private readonly BrowserSessionStore _sessions;

    public BrowserSessionStoreTests()
    {
        _state = new StateDatabase(_directory.File("state.db"));
        _keys = new ApiKeyStore(_state, TimeSpan.Zero, _time);
        _sessions = new BrowserSessionStore(Idle, Absolute, _keys, _time);
    }

    public void Dispose()
    {
        _state.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ASessionActsAsTheKeyThatOpenedItWithATokenOfItsOwn()
    {
        var key = Key();
        var (cookie, opened) = _sessions.Open(key);

        var found = _sessions.Find(cookie);

        Assert.Same(opened, found);
        Assert.Equal(key.Id, found!.Key.Id);
        Assert.NotEqual(cookie, found.CsrfToken);
        Assert.True(cookie.Length >= 43, "a cookie carries 256 random bits");
        Assert.Null(_sessions.Find(cookie[..^1] + (cookie[^1] == 'A' ? 'B' : 'A')));
    }

    [Fact]
    public void AnIdleSessionEndsAndActivityKeepsItAlive()
    {
        var (kept, _) = _sessions.Open(Key());
        var (idle, _) = _sessions.Open(Key("idle"));
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(Idle - TimeSpan.FromMinutes(1));
            Assert.NotNull(_sessions.Find(kept));
        }

        Assert.Null(_sessions.Find(idle));
        Assert.Null(_sessions.Find(idle));
    }

    [Fact]
    public void TheAbsoluteTimeoutEndsAnActiveSession()
    {
        var (cookie, _) = _sessions.Open(Key());
        var elapsed = TimeSpan.Zero;
        while (elapsed < Absolute - TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            elapsed += TimeSpan.FromMinutes(10);
            Assert.NotNull(_sessions.Find(cookie));
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_sessions.Find(cookie));
    }

    [Fact]
    public void ASessionEndsWhenItsKeyExpiresIfThatIsSooner()
    {
        var created = _keys.Create("short", "ops", [ApiScopes.Admin], _time.GetUtcNow() + TimeSpan.FromMinutes(20));
        var (cookie, session) = _sessions.Open(created.Info);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(20), session.EndsAt);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(_sessions.Find(cookie));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_sessions.Find(cookie));
    }

    [Fact]
    public void ARevokedKeysSessionsEndWithinTheRecheckEvenWhenAnotherProcessRevokedIt()
    {
        var key = Key();
        var (cookie, _) = _sessions.Open(key);
        Assert.True(_keys.Revoke(key.Id));

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Null(_sessions.Find(cookie));
    }

    [Fact]
    public void EndingOneSessionOrAllOfAKeysLeavesTheOthers()
    {
        var key = Key();
        var other = Key("other");
        var (first, _) = _sessions.Open(key);
        var (second, _) = _sessions.Open(key);
        var (third, _) = _sessions.Open(other);

        Assert.True(_sessions.End(first));
        Assert.False(_sessions.End(first));
        Assert.Null(_sessions.Find(first));
        Assert.NotNull(_sessions.Find(second));
        Assert.Equal(1, _sessions.EndAllOf(key.Id));
        Assert.Null(_sessions.Find(second));
        Assert.NotNull(_sessions.Find(third));
    }

    [Fact]
    public void AtTheCapTheLeastRecentlyUsedSessionGivesWay()
    {
        var key = Key();
        var cookies = new List<string>();
        for (var i = 0; i < BrowserSessionStore.MaxSessions; i++)
        {
            cookies.Add(_sessions.Open(key).Cookie);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.NotNull(_sessions.Find(cookies[0]));
        _time.Advance(TimeSpan.FromMilliseconds(10));
        var newest = _sessions.Open(key).Cookie;

        Assert.Equal(BrowserSessionStore.MaxSessions, _sessions.Count);
        Assert.NotNull(_sessions.Find(newest));
        Assert.NotNull(_sessions.Find(cookies[0]));
        Assert.Null(_sessions.Find(cookies[1]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-session")]
    public void UnknownOrEmptyCookiesFindNothing(string? cookie) => Assert.Null(_sessions.Find(cookie));

    [Fact]
    public void AnOverlongCookieIsNotEvenHashed() => Assert.Null(_sessions.Find(new string('a', 10_000)));

    private ApiKeyInfo Key(string name = "operator") => _keys.Create(name, "ops", [ApiScopes.Admin, ApiScopes.Inference]).Info;
}
