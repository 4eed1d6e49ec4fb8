using System.Net;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>A model's own settings and aliases belong to its configured entry, so every version of it is served with them.</summary>
public sealed class UpdateModelSettingsTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync(
        "--Inference:Models:0:ContextSize", "128", "--Inference:Models:0:MaxSequences", "2", "--Inference:Models:0:Aliases:0", "storyteller");

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AnInstalledVersionARestartAndARollbackKeepTheModelsOwnSettingsAndAlias()
    {
        await _daemon.StartAsync();
        await AssertServedWithItsOwnSettingsAsync();

        using var installed = await _daemon.UploadAsync(await _daemon.BundleAsync(1));
        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
        await AssertServedWithItsOwnSettingsAsync();

        await _daemon.StartAsync();
        await AssertServedWithItsOwnSettingsAsync();

        using var admin = _daemon.Admin();
        using var rolledBack = await admin.PostAsync(new Uri("admin/models/stories260K/rollback", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        await AssertServedWithItsOwnSettingsAsync();
    }

    private async Task AssertServedWithItsOwnSettingsAsync()
    {
        var model = Assert.Single((await _daemon.AdminStatusAsync()).GetProperty("models").EnumerateArray());
        Assert.Equal(UpdatingDaemon.ModelName, model.GetProperty("name").GetString());
        Assert.Equal((128, 2), (model.GetProperty("context_size").GetInt32(), model.GetProperty("max_sequences").GetInt32()));
        Assert.Equal(["storyteller"], model.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal((200, null), await _daemon.CompleteAsync("storyteller"));
    }
}
