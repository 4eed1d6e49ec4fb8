using System.Buffers.Text;
using System.Text;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace EdgeLlm.Api.Tests.Authentication;

public sealed class ApiKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<StateDatabase> _opened = [];

    private string DatabasePath => _directory.File("state.db");

    public void Dispose()
    {
        // Each store stands for a process of its own (the daemon, the CLI): each opened the file itself.
        _opened.ForEach(state => state.Dispose());
        _directory.Dispose();
    }

    [Fact]
    public void ACreatedKeyAuthenticatesAsItsTenantWithItsScopes()
    {
        var store = OpenStore();
        var created = store.Create("billing-app", "acme", [ApiScopes.Inference, ApiScopes.Ingest]);

        var info = store.Authenticate(created.Key);

        Assert.NotNull(info);
        Assert.Equal(created.Info.Id, info.Id);
        Assert.Equal("billing-app", info.Name);
        Assert.Equal("acme", info.Tenant);
        Assert.Equal([ApiScopes.Inference, ApiScopes.Ingest], info.Scopes);
        Assert.Equal(Start, info.CreatedAt);
        Assert.False(info.IsRevoked);
    }

    [Fact]
    public void AKeyIsThePrefixTheIdAndARandomSecret()
    {
        var store = OpenStore();
        var first = store.Create("a", "t", [ApiScopes.Inference]);
        var second = store.Create("a", "t", [ApiScopes.Inference]);

        Assert.Matches("^ellm_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$", first.Key);
        Assert.StartsWith("ellm_" + first.Info.Id + "_", first.Key, StringComparison.Ordinal);
        Assert.NotEqual(first.Info.Id, second.Info.Id);
        Assert.DoesNotContain(first.Key, first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecretIsNeverWrittenToTheDatabaseFile()
    {
        string key;
        using (var state = OpenDatabase())
        {
            var store = new ApiKeyStore(state, ApiKeyStore.DefaultCacheTtl, _time);
            key = store.Create("scanner", "acme", [ApiScopes.Admin]).Key;
            Assert.NotNull(store.Authenticate(key));
        }

        var secretText = key[18..];
        var secretBytes = Base64Url.DecodeFromChars(secretText);
        var files = Directory.GetFiles(_directory.Path);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secretText)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(secretBytes));
        }
    }

    [Fact]
    public void ListShowsEveryKeyOldestFirstWithRevocations()
    {
        var store = OpenStore();
        var first = store.Create("first", "acme", [ApiScopes.Inference]);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = store.Create("second", "globex", [ApiScopes.Admin]);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(store.Revoke(first.Info.Id));

        var keys = store.List();

        Assert.Equal([first.Info.Id, second.Info.Id], keys.Select(k => k.Id));
        Assert.Equal(Start.AddMinutes(2), keys[0].RevokedAt);
        Assert.Null(keys[1].RevokedAt);
        Assert.Equal("globex", keys[1].Tenant);
    }

    [Fact]
    public void ARevokedKeyIsRefused()
    {
        var store = OpenStore();
        var created = store.Create("app", "acme", [ApiScopes.Inference]);
        Assert.NotNull(store.Authenticate(created.Key));

        Assert.True(store.Revoke(created.Info.Id));

        Assert.Null(store.Authenticate(created.Key));
        Assert.Equal(ApiKeyCheckOutcome.Revoked, store.Check(created.Key).Outcome);
    }

    [Fact]
    public void RevokingAnUnknownIdReportsItWasNotFound()
    {
        var store = OpenStore();

        Assert.False(store.Revoke("aaaaaaaaaaaa"));
    }

    [Fact]
    public void RevokingTwiceKeepsTheFirstRevocationTime()
    {
        var store = OpenStore();
        var created = store.Create("app", "acme", [ApiScopes.Inference]);
        store.Revoke(created.Info.Id);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(store.Revoke(created.Info.Id));

        Assert.Equal(Start, store.List().Single().RevokedAt);
    }

    [Fact]
    public void AKnownIdWithAWrongSecretIsRefused()
    {
        var store = OpenStore();
        var created = store.Create("app", "acme", [ApiScopes.Inference]);
        var forged = created.Key[..^4] + (created.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBA" : "AAAA");

        Assert.Null(store.Authenticate(forged));
        Assert.Equal(ApiKeyCheckOutcome.WrongSecret, store.Check(forged).Outcome);

        // A cached good look-up must not let a wrong secret through either.
        Assert.NotNull(store.Authenticate(created.Key));
        Assert.Null(store.Authenticate(forged));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ellm_")]
    [InlineData("sk-0123456789abcdef0123456789abcdef0123456789abcdef0123")]
    [InlineData("ellm_ABCDEFGHIJKL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ellm_abcdefghijkl-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    public void MalformedKeysAreRefusedWithoutThrowing(string? presented)
    {
        var store = OpenStore();
        store.Create("app", "acme", [ApiScopes.Inference]);

        Assert.Null(store.Authenticate(presented));
        Assert.Equal(ApiKeyCheckOutcome.Malformed, store.Check(presented).Outcome);
    }

    [Fact]
    public void AWellFormedKeyNobodyCreatedIsRefused()
    {
        var store = OpenStore();

        var check = store.Check("ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal(ApiKeyCheckOutcome.Unknown, check.Outcome);
        Assert.Equal("abcdefghijkl", check.KeyId);
    }

    [Theory]
    [InlineData("", "acme", ApiScopes.Inference, "name")]
    [InlineData("has space", "acme", ApiScopes.Inference, "name")]
    [InlineData("app", "", ApiScopes.Inference, "tenant")]
    [InlineData("app", "a/b", ApiScopes.Inference, "tenant")]
    [InlineData("app", "acme", "superuser", "scopes")]
    [InlineData("app", "acme", "Inference", "scopes")]
    public void CreateRefusesInvalidNamesTenantsAndScopes(string name, string tenant, string scope, string paramName)
    {
        var store = OpenStore();

        var error = Assert.Throws<ArgumentException>(() => store.Create(name, tenant, [scope]));

        Assert.Equal(paramName, error.ParamName);
        Assert.Empty(store.List());
    }

    [Fact]
    public void CreateRefusesNoScopesAndOverlongLabels()
    {
        var store = OpenStore();

        Assert.Throws<ArgumentException>(() => store.Create("app", "acme", []));
        Assert.Throws<ArgumentException>(() => store.Create(new string('a', 65), "acme", [ApiScopes.Admin]));
        Assert.NotNull(store.Create(new string('a', 64), "A-Z.a_z-0.9", [ApiScopes.Admin]));
    }

    [Fact]
    public void ScopesAreStoredOnceInTheirCanonicalOrder()
    {
        var store = OpenStore();

        var created = store.Create("app", "acme", [ApiScopes.Admin, ApiScopes.Inference, ApiScopes.Admin]);

        Assert.Equal([ApiScopes.Inference, ApiScopes.Admin], created.Info.Scopes);
        Assert.Equal([ApiScopes.Inference, ApiScopes.Admin], store.List().Single().Scopes);
    }

    [Fact]
    public void KeysSurviveReopeningTheFile()
    {
        string key;
        using (var state = OpenDatabase())
        {
            var store = new ApiKeyStore(state, ApiKeyStore.DefaultCacheTtl, _time);
            key = store.Create("app", "acme", [ApiScopes.Inference]).Key;
        }

        var reopened = OpenStore();

        Assert.Equal("acme", reopened.Authenticate(key)?.Tenant);
    }

    [Fact]
    public void TwoStoresOnTheSameFileSeeEachOthersWrites()
    {
        var daemon = OpenStore();
        var cli = OpenStore();

        var fromCli = cli.Create("from-cli", "acme", [ApiScopes.Inference]);
        var fromDaemon = daemon.Create("from-daemon", "acme", [ApiScopes.Admin]);

        Assert.NotNull(daemon.Authenticate(fromCli.Key));
        Assert.NotNull(cli.Authenticate(fromDaemon.Key));
        Assert.Equal(2, daemon.List().Count);
        Assert.Equal(2, cli.List().Count);
    }

    [Fact]
    public void ARevocationByAnotherStoreTakesEffectOnceTheCacheExpires()
    {
        var daemon = OpenStore(TimeSpan.FromSeconds(5));
        var cli = OpenStore();
        var created = cli.Create("app", "acme", [ApiScopes.Inference]);
        Assert.NotNull(daemon.Authenticate(created.Key));

        Assert.True(cli.Revoke(created.Info.Id));

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(daemon.Authenticate(created.Key));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(daemon.Authenticate(created.Key));
    }

    [Fact]
    public void WithoutACacheARevocationByAnotherStoreTakesEffectAtOnce()
    {
        var daemon = OpenStore(TimeSpan.Zero);
        var cli = OpenStore();
        var created = cli.Create("app", "acme", [ApiScopes.Inference]);
        Assert.NotNull(daemon.Authenticate(created.Key));

        cli.Revoke(created.Info.Id);

        Assert.Null(daemon.Authenticate(created.Key));
    }

    [Fact]
    public void LastUseIsRecordedAtMostOnceAMinute()
    {
        var store = OpenStore(TimeSpan.FromSeconds(5));
        var created = store.Create("app", "acme", [ApiScopes.Inference]);
        Assert.Null(store.List().Single().LastUsedAt);

        store.Authenticate(created.Key);
        Assert.Equal(Start, store.List().Single().LastUsedAt);

        _time.Advance(TimeSpan.FromSeconds(30));
        store.Authenticate(created.Key);
        Assert.Equal(Start, store.List().Single().LastUsedAt);

        _time.Advance(TimeSpan.FromSeconds(31));
        store.Authenticate(created.Key);
        Assert.Equal(Start.AddSeconds(61), store.List().Single().LastUsedAt);
    }

    [Fact]
    public void RecordingUseNeverUndoesARevocationMadeElsewhere()
    {
        var daemon = OpenStore(TimeSpan.Zero);
        var cli = OpenStore();
        var created = cli.Create("app", "acme", [ApiScopes.Inference]);
        daemon.Authenticate(created.Key);

        cli.Revoke(created.Info.Id);
        _time.Advance(TimeSpan.FromMinutes(2));
        daemon.Authenticate(created.Key);

        Assert.True(cli.List().Single().IsRevoked);
    }

    private ApiKeyStore OpenStore(TimeSpan? cacheTtl = null) =>
        new(Track(OpenDatabase()), cacheTtl ?? ApiKeyStore.DefaultCacheTtl, _time);

    private StateDatabase OpenDatabase() => new(DatabasePath);

    private StateDatabase Track(StateDatabase state)
    {
        _opened.Add(state);
        return state;
    }
}
