using EdgeLlm.Daemon.Cli;

namespace EdgeLlm.Daemon.Tests.Cli;

public sealed class SettingsCommandTests
{
    [Fact]
    public void EverySettingIsListedWithItsDefaultAndADescription()
    {
        var rows = SettingsCommand.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();

        Assert.Contains(rows, r => r.StartsWith("| `Inference:ContextSize` | `2048` |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| `Api:Urls` | `http://127.0.0.1:8080` |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| `Inference:RequestTimeout` | `00:05:00` |", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| `Api:Authentication:Enabled` | `True` |", StringComparison.Ordinal));
        Assert.All(rows, row =>
        {
            var description = row.Split('|')[3].Trim();
            Assert.False(description.Length < 10, "setting without a description: " + row);
        });
    }

    [Fact]
    public void TheReadmesTableIsTheOneTheCodePrints()
    {
        var readme = File.ReadAllText(Path.Combine(EdgeLlm.Testing.TestModels.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("| setting | default | description |", StringComparison.Ordinal);
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal);

        Assert.True(start >= 0, "README.md has no settings table");
        Assert.True(
            readme[start..(end + 1)] == SettingsCommand.Render(),
            "README.md's settings table differs from 'edgellm settings': regenerate it (see the Every setting section)");
    }
}
