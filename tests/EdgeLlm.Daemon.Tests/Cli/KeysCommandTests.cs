using System.CommandLine;
using System.Text.RegularExpressions;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Daemon.Cli;
using EdgeLlm.Storage;
using Xunit;

namespace EdgeLlm.Daemon.Tests.Cli;

public sealed partial class KeysCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgellm-tests", Guid.NewGuid().ToString("N"));

    private string DataDir => Path.Combine(_root, "data");

    private string StateDatabasePath => Path.Combine(DataDir, "state.db");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task CreatePrintsTheKeyOnceWithItsIdTenantAndScopes()
    {
        var result = await RunAsync("keys", "create", "--name", "billing", "--tenant", "acme", "--scope", "inference", "--scope", "admin");

        Assert.Equal(0, result.ExitCode);
        var key = Assert.Single(KeyPattern().Matches(result.Output)).Value;
        using var storeState = new StateDatabase(StateDatabasePath);
        var store = new ApiKeyStore(storeState);
        var info = store.Authenticate(key);
        Assert.NotNull(info);
        Assert.Equal("acme", info.Tenant);
        Assert.Equal([ApiScopes.Inference, ApiScopes.Admin], info.Scopes);
        Assert.Contains(info.Id, result.Output, StringComparison.Ordinal);
        Assert.Contains("inference, admin", result.Output, StringComparison.Ordinal);
        Assert.Contains("cannot be shown again", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithAnExpiryStoresItAndANonsenseExpiryIsRefused()
    {
        var result = await RunAsync("keys", "create", "--name", "contractor", "--tenant", "acme", "--scope", "inference", "--expires-in", "30d");
        var refused = await RunAsync("keys", "create", "--name", "other", "--tenant", "acme", "--scope", "inference", "--expires-in", "soon");

        Assert.Equal(0, result.ExitCode);
        var key = Assert.Single(KeyPattern().Matches(result.Output)).Value;
        using var storeState = new StateDatabase(StateDatabasePath);
        var store = new ApiKeyStore(storeState);
        var info = store.Authenticate(key);
        Assert.NotNull(info);
        Assert.InRange(info.ExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--expires-in", refused.Error, StringComparison.Ordinal);
        Assert.Single(store.List());
    }

    [Fact]
    public async Task CreateMakesAMissingDataDirectory()
    {
        Assert.False(Directory.Exists(DataDir));

        var result = await RunAsync("keys", "create", "--name", "app", "--tenant", "acme", "--scope", "inference");

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(StateDatabasePath));
    }

    [Fact]
    public async Task CreateRefusesAnUnknownScope()
    {
        var result = await RunAsync("keys", "create", "--name", "app", "--tenant", "acme", "--scope", "root");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("root", result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(KeyPattern(), result.Output);
    }

    [Fact]
    public async Task CreateRefusesAnInvalidTenantWithoutStoringAKey()
    {
        var result = await RunAsync("keys", "create", "--name", "app", "--tenant", "acme corp", "--scope", "inference");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tenant", result.Error, StringComparison.Ordinal);
        using var storeState = new StateDatabase(StateDatabasePath);
        var store = new ApiKeyStore(storeState);
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task ListShowsEveryKeyAndItsRevocationButNoSecret()
    {
        using (var state = new StateDatabase(StateDatabasePath))
        {
            var store = new ApiKeyStore(state);
            var kept = store.Create("dashboard", "acme", [ApiScopes.Admin]);
            var revoked = store.Create("old-app", "globex", [ApiScopes.Inference, ApiScopes.Ingest]);
            store.Revoke(revoked.Info.Id);

            var result = await RunAsync("keys", "list");

            Assert.Equal(0, result.ExitCode);
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
            Assert.Contains("REVOKED", lines[0], StringComparison.Ordinal);
            Assert.Matches($"^{kept.Info.Id} +dashboard +acme +admin +\\S+ \\S+ +- +- +-$", lines[1]);
            Assert.Matches($"^{revoked.Info.Id} +old-app +globex +inference,ingest +\\S+ \\S+ +- +- +\\S+ \\S+Z$", lines[2]);
            Assert.DoesNotContain(kept.Key[18..], result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ellm_", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListSaysSoWhenThereAreNoKeys()
    {
        var result = await RunAsync("keys", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No API keys", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeStopsTheKeyWorking()
    {
        using var storeState = new StateDatabase(StateDatabasePath);
        var store = new ApiKeyStore(storeState, TimeSpan.Zero, TimeProvider.System);
        var created = store.Create("app", "acme", [ApiScopes.Inference]);

        var result = await RunAsync("keys", "revoke", created.Info.Id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(created.Info.Id, result.Output, StringComparison.Ordinal);
        Assert.Null(store.Authenticate(created.Key));
    }

    [Fact]
    public async Task RevokingAnUnknownIdExitsWithOne()
    {
        var result = await RunAsync("keys", "revoke", "nosuchkey234");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nosuchkey234", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCanBeManagedWhileTheDaemonHoldsTheFile()
    {
        using var daemonState = new StateDatabase(StateDatabasePath);
        var daemon = new ApiKeyStore(daemonState, TimeSpan.Zero, TimeProvider.System);
        daemon.Create("existing", "acme", [ApiScopes.Inference]);

        var created = await RunAsync("keys", "create", "--name", "new", "--tenant", "acme", "--scope", "ingest");
        var listed = await RunAsync("keys", "list");

        Assert.Equal(0, created.ExitCode);
        Assert.NotNull(daemon.Authenticate(KeyPattern().Match(created.Output).Value));
        Assert.Contains("existing", listed.Output, StringComparison.Ordinal);
        Assert.Contains("new", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDataDirectoryCanFollowTheSubcommand()
    {
        var root = NewRootCommand();

        var exitCode = await root.Parse(["keys", "list", "--data-dir", DataDir]).InvokeAsync(
            new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });

        Assert.Equal(0, exitCode);
        Assert.True(File.Exists(StateDatabasePath));
    }

    private async Task<CommandResult> RunAsync(params string[] args)
    {
        var root = NewRootCommand();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(["--data-dir", DataDir, .. args]).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error });
        return new CommandResult(exitCode, output.ToString(), error.ToString());
    }

    // Stands in for the real root command, which owns --data-dir.
    private static RootCommand NewRootCommand()
    {
        var dataDir = new Option<string>("--data-dir") { Recursive = true };
        return new RootCommand("edgellm") { dataDir, KeysCommand.Create(dataDir) };
    }

    [GeneratedRegex("ellm_[a-z2-7]{12}_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();

    private sealed record CommandResult(int ExitCode, string Output, string Error);
}
