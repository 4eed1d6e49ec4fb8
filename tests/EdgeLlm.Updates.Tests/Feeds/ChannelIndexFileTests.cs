using System.Text;
using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Updates.Tests.Feeds;

public sealed class ChannelIndexFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-index-").FullName;

    [Fact]
    public async Task AWrittenIndexReadsBackAndTheOldSignatureIsRemoved()
    {
        var index = new ChannelIndex("stable", 12, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));
        await File.WriteAllTextAsync(Path.Combine(_folder, ChannelIndexFile.SignatureFile), "an old signature");

        var path = await ChannelIndexFile.WriteAsync(index, _folder, CancellationToken.None);

        Assert.Equal(index, ChannelIndexFile.TryRead(File.ReadAllBytes(path), out var error));
        Assert.Null(error);
        Assert.False(File.Exists(Path.Combine(_folder, ChannelIndexFile.SignatureFile)));
        Assert.Contains("\"sequence\": 12", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"channel":"stable","sequence":3,"issued":"2026-03-01T00:00:00Z","expires":"2026-03-02T00:00:00Z","mirror":"x"}""", "mirror")]
    [InlineData("""{"channel":"../stable","sequence":3,"issued":"2026-03-01T00:00:00Z","expires":"2026-03-02T00:00:00Z"}""", "channel")]
    [InlineData("""{"channel":"stable","sequence":0,"issued":"2026-03-01T00:00:00Z","expires":"2026-03-02T00:00:00Z"}""", "sequence")]
    [InlineData("""{"channel":"stable","sequence":"3","issued":"2026-03-01T00:00:00Z","expires":"2026-03-02T00:00:00Z"}""", "sequence")]
    [InlineData("""{"channel":"stable","sequence":3,"issued":"2026-03-02T00:00:00Z","expires":"2026-03-01T00:00:00Z"}""", "expires")]
    [InlineData("""{"channel":"stable","sequence":3,"issued":"2026-03-01T00:00:00Z"}""", "expires")]
    [InlineData("""[]""", "channel index")]
    public void AnIndexThatIsNotExactlyAChannelIndexIsRefusedWithTheReason(string json, string reason)
    {
        Assert.Null(ChannelIndexFile.TryRead(Encoding.UTF8.GetBytes(json), out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizedIndexIsRefusedBeforeItIsParsed()
    {
        Assert.Null(ChannelIndexFile.TryRead(new byte[ChannelIndexFile.MaxBytes + 1], out var error));
        Assert.Contains("larger", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
