using System.Text.Json;
using EdgeLlm.Api.Endpoints.Ollama;
using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Tests.Ollama;

public sealed class OllamaOptionsFieldTests
{
    [Fact]
    public void EveryMappedOptionLandsOnTheSamplingFieldOfTheSameMeaning()
    {
        var (fields, error) = OllamaOptionsField.Read(Json("""
            {"temperature":0.3,"top_p":0.8,"top_k":12,"min_p":0.05,"seed":42,"num_predict":7,"stop":["\n","END"],
             "repeat_penalty":1.2,"presence_penalty":0.5,"frequency_penalty":-0.5}
            """));

        Assert.Null(error);
        Assert.Equal(0.3f, fields!.Temperature);
        Assert.Equal(0.8f, fields.TopP);
        Assert.Equal(12, fields.TopK);
        Assert.Equal(0.05f, fields.MinP);
        Assert.Equal(42, fields.Seed);
        Assert.Equal(7, fields.MaxTokens);
        Assert.Equal(["\n", "END"], fields.Stop!.Value.EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(1.2f, fields.RepeatPenalty);
        Assert.Equal(0.5f, fields.PresencePenalty);
        Assert.Equal(-0.5f, fields.FrequencyPenalty);
    }

    [Fact]
    public void NoOptionsLeaveTheDefaultsOfV1()
    {
        var (fields, error) = OllamaOptionsField.Read(null);

        Assert.Null(error);
        Assert.Null(fields!.Temperature);
        Assert.Null(fields.MaxTokens);
        Assert.Null(fields.Stop);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    public void NumPredictMinusOneOrTwoMeansUpToTheContext(int numPredict)
    {
        var (fields, _) = OllamaOptionsField.Read(Json($$"""{"num_predict":{{numPredict}}}"""));

        Assert.Equal(int.MaxValue, fields!.MaxTokens);
    }

    [Fact]
    public void SeedMinusOneAsksForARandomSeed()
    {
        var (fields, error) = OllamaOptionsField.Read(Json("""{"seed":-1}"""));

        Assert.Null(error);
        Assert.Null(fields!.Seed);
    }

    [Theory]
    [InlineData("""{"num_ctx":8192,"num_thread":4,"num_gpu":99,"main_gpu":0,"num_batch":512,"use_mmap":true,"use_mlock":false,"penalize_newline":true,"num_keep":4}""")]
    [InlineData("""{"mirostat":0,"typical_p":1.0,"tfs_z":1,"repeat_last_n":64}""")]
    [InlineData("""{"temperature":null}""")]
    public void LoadTimeOptionsAndNeutralValuesAreAccepted(string options)
    {
        var (fields, error) = OllamaOptionsField.Read(Json(options));

        Assert.Null(error);
        Assert.NotNull(fields);
    }

    [Theory]
    [InlineData("""{"mirostat":2}""", "options.mirostat")]
    [InlineData("""{"typical_p":0.5}""", "options.typical_p")]
    [InlineData("""{"repeat_last_n":128}""", "options.repeat_last_n")]
    [InlineData("""{"temprature":0.5}""", "options.temprature")]
    [InlineData("""{"temperature":"hot"}""", "options.temperature")]
    [InlineData("""{"top_k":1.5}""", "options.top_k")]
    [InlineData("""{"seed":"7"}""", "options.seed")]
    [InlineData("""{"num_predict":0}""", "options.num_predict")]
    [InlineData("""[1,2]""", "options")]
    public void AnOptionThatCannotBeHonouredIs400NamingIt(string options, string param)
    {
        var (fields, error) = OllamaOptionsField.Read(Json(options));

        Assert.Null(fields);
        Assert.Equal(400, error!.Status);
        Assert.Equal(ErrorCodes.InvalidParameter, error.Code);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void ARangeErrorOfTheSamplingFactoryIsNamedInsideOptions()
    {
        var named = OllamaOptionsField.InOptions(new ApiError(400, ErrorCodes.InvalidParameter, "temperature must be a number between 0 and 2.", "temperature"));
        var other = OllamaOptionsField.InOptions(new ApiError(400, ErrorCodes.ContextLengthExceeded, "too long"));

        Assert.Equal("options.temperature", named.Param);
        Assert.Null(other.Param);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
