using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>A llama.abi file comes with a natives folder: it is read as hostile input, every refusal a line number and a reason.</summary>
public sealed class AbiDescriptionParserTests
{
    private const string Valid = """
        # a comment
        abi 1
        struct point size=8 align=4
        field point x offset=0 size=4 kind=int
        field point y offset=4 size=4 kind=float
        function make_point return=struct:point/8 params=int/4,float/4
        function nothing return=void/0 params=
        """;

    [Fact]
    public void AValidDescriptionIsReadWithItsStructsAndFunctions()
    {
        var result = AbiDescriptionParser.Parse(Valid);

        Assert.True(result.Succeeded, result.Error);
        var point = result.Description!.Structs["point"];
        Assert.Equal((8, 4), (point.Size, point.Align));
        Assert.Equal([new AbiField("x", 0, new AbiType(AbiKind.Int, 4)), new AbiField("y", 4, new AbiType(AbiKind.Float, 4))], point.Fields);
        Assert.Equal(new AbiType(AbiKind.Struct, 8, "point"), result.Description.Functions["make_point"].Return);
        Assert.Empty(result.Description.Functions["nothing"].Parameters);
    }

    [Fact]
    public void TheCommittedDescriptionIsRead()
    {
        var result = AbiDescriptionParser.ParseFile(CommittedAbi.Path);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(160, result.Description!.Structs["llama_context_params"].Size);
        Assert.True(result.Description.Functions.Count > 500);
    }

    [Theory]
    [InlineData("abi 2\n", "line 1: the first record must be 'abi 1'")]
    [InlineData("struct a size=4 align=4\n", "line 1: the first record must be 'abi 1'")]
    [InlineData("abi 1\nstruct a size=4\n", "line 2: expected 'struct <name> size=<bytes> align=<bytes>'")]
    [InlineData("abi 1\nstruct a size=-4 align=4\n", "line 2: struct a: size= and align= must be whole numbers")]
    [InlineData("abi 1\nstruct a size=4 align=4\nstruct a size=4 align=4\n", "line 3: struct a is described twice")]
    [InlineData("abi 1\nfield a x offset=0 size=4 kind=int\n", "line 2: field x belongs to struct a, which is not described before it")]
    [InlineData("abi 1\nstruct a size=4 align=4\nfield a x offset=2 size=4 kind=int\n", "line 3: field a.x ends at byte 6, past the struct's size 4")]
    [InlineData("abi 1\nstruct a size=4 align=4\nfield a x offset=0 size=4 kind=quaternion\n", "line 3: field a.x: 'quaternion/4' is not a known kind")]
    [InlineData("abi 1\nstruct a size=4 align=4\nfield a x offset=0 size=2 kind=bool\n", "line 3: field a.x: 'bool/2' is not a known kind")]
    [InlineData("abi 1\nfunction f return=int/4\n", "line 2: expected 'function <name> return=<kind>/<size> params=")]
    [InlineData("abi 1\nfunction f return=int/3 params=\n", "line 2: function f: return: 'int/3' is not a known kind")]
    [InlineData("abi 1\nfunction f return=void/0 params=int/4,,int/4\n", "line 2: function f: parameter 2: '' is not <kind>/<size>")]
    [InlineData("abi 1\nfunction f return=void/0 params=void/0\n", "line 2: function f: parameter 1: a parameter cannot be void or an array")]
    [InlineData("abi 1\nstruct a size=4 align=4\nfunction f return=struct:a/8 params=\n", "function f uses struct a at 8 bytes, but it is described as 4")]
    [InlineData("abi 1\nfunction f$ return=void/0 params=\n", "line 2: expected 'function <name>")]
    [InlineData("abi 1\nmacro X 1\n", "line 2: unknown record 'macro'")]
    [InlineData("abi 1\nabi 1\n", "line 2: a second 'abi' header")]
    [InlineData("", "empty")]
    public void AMalformedLineIsRefusedWithItsNumberAndReason(string text, string expected)
    {
        var result = AbiDescriptionParser.Parse(text);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AStructKnownOnlyThroughATypedefIsReadWithItsSize()
    {
        var result = AbiDescriptionParser.Parse("abi 1\nfunction ggml_fp32_to_bf16 return=struct:ggml_bf16_t/2 params=float/4\n");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new AbiType(AbiKind.Struct, 2, "ggml_bf16_t"), result.Description!.Functions["ggml_fp32_to_bf16"].Return);
        Assert.False(result.Description.Structs.ContainsKey("ggml_bf16_t"));
    }

    [Fact]
    public void AnOverlongLineIsRefusedWithoutReadingIt()
    {
        var result = AbiDescriptionParser.Parse("abi 1\nfunction " + new string('f', 5000) + " return=void/0 params=\n");

        Assert.Equal("line 2: longer than 4096 characters.", result.Error);
    }

    [Fact]
    public void AnOversizeFileIsRefusedBeforeItIsRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgellm-abi-{Guid.NewGuid():N}.abi");
        using (var file = File.Create(path))
        {
            file.SetLength(AbiDescriptionParser.MaxBytes + 1L);
        }

        try
        {
            var result = AbiDescriptionParser.ParseFile(path);

            Assert.False(result.Succeeded);
            Assert.Contains($"more than the {AbiDescriptionParser.MaxBytes}", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
