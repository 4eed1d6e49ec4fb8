using System.Text.Json;
using EdgeLlm.Api.Endpoints.Ollama;

namespace EdgeLlm.Api.Tests.Ollama;

public sealed class OllamaKeepAliveTests
{
    [Theory]
    [InlineData("\"5m\"", 300_000)]
    [InlineData("\"1h30m\"", 5_400_000)]
    [InlineData("\"300ms\"", 300)]
    [InlineData("\"1.5h\"", 5_400_000)]
    [InlineData("\"0\"", 0)]
    [InlineData("0", 0)]
    [InlineData("600", 600_000)]
    [InlineData("2.5", 2_500)]
    public void DurationsReadAsOllamaReadsThem(string json, long milliseconds)
    {
        var (keepAlive, error) = OllamaKeepAlive.Read(JsonDocument.Parse(json).RootElement);

        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), keepAlive);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"-1m\"")]
    public void ANegativeValueMeansKeepLoaded(string json)
    {
        var (keepAlive, error) = OllamaKeepAlive.Read(JsonDocument.Parse(json).RootElement);

        Assert.Null(error);
        Assert.Equal(Timeout.InfiniteTimeSpan, keepAlive);
    }

    [Theory]
    [InlineData("\"5 minutes\"")]
    [InlineData("\"5\"")]
    [InlineData("\"m\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("\"200h\"")]
    [InlineData("1e12")]
    public void AnythingElseIs400NamingKeepAlive(string json)
    {
        var (keepAlive, error) = OllamaKeepAlive.Read(JsonDocument.Parse(json).RootElement);

        Assert.Null(keepAlive);
        Assert.Equal("keep_alive", error!.Param);
    }

    [Fact]
    public void AbsentMeansNothingAsked()
    {
        Assert.Equal((null, null), OllamaKeepAlive.Read(null));
    }
}
