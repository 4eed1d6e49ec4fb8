using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.EndToEnd.Tests.Scripts;

/// <summary>
/// <c>scripts/natives-abi.py</c> describes a llama.cpp tree's public headers as the C compiler lays them out, in the
/// <c>llama.abi</c> format the daemon compares with LLamaSharp: run here on fake headers (clang and cc, no source).
/// </summary>
public sealed class NativesAbiScriptTests(NativesAbiOfAFakeTree abi) : IClassFixture<NativesAbiOfAFakeTree>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-natives-abi-errors-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void TheDescriptionStartsWithItsFormatAndListsOnlyTheHeadersOwnStructs()
    {
        AssertExit(0, abi.Result);
        Assert.Equal("abi 1", abi.Records[0]);
        var structs = abi.Records.Where(line => line.StartsWith("struct ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1]);
        Assert.Equal(new[] { "llama_context_params", "llama_shapes" }, structs.Order());
    }

    [Fact]
    public void AnIntAfterACharIsAtOffsetFourInAStructOfEightAlignedToFour()
    {
        Assert.Equal(("8", "4"), (abi.Record("struct llama_context_params")["size"], abi.Record("struct llama_context_params")["align"]));
        AssertField(offset: 0, size: 1, kind: "int", abi.Record("field llama_context_params c"));
        AssertField(offset: 4, size: 4, kind: "int", abi.Record("field llama_context_params i"));
    }

    [Fact]
    public void TheMembersOfAnAnonymousUnionAreFieldsOfTheStructAtOneOffset()
    {
        AssertField(offset: 24, size: 4, kind: "int", abi.Record("field llama_shapes as_int"));
        AssertField(offset: 24, size: 4, kind: "float", abi.Record("field llama_shapes as_float"));
    }

    [Fact]
    public void ANamedFieldOfAnUnnamedStructTypeIsOneAnonymousStructField()
    {
        AssertField(offset: 32, size: 16, kind: "struct:anonymous", abi.Record("field llama_shapes nested"));
        Assert.DoesNotContain(abi.Records, line => line.StartsWith("field llama_shapes a ", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEnumIsAFourByteIntABoolOneByteAndAStructByValueNamesItsStruct()
    {
        AssertField(offset: 0, size: 4, kind: "int", abi.Record("field llama_shapes kind"));
        AssertField(offset: 4, size: 1, kind: "bool", abi.Record("field llama_shapes flag"));
        AssertField(offset: 88, size: 8, kind: "struct:llama_context_params", abi.Record("field llama_shapes by_value"));
    }

    [Fact]
    public void AFunctionPointerFieldIsAnEightBytePointerWhetherTypedefOrSpelledOut()
    {
        AssertField(offset: 8, size: 8, kind: "ptr", abi.Record("field llama_shapes abort_callback"));
        AssertField(offset: 16, size: 8, kind: "ptr", abi.Record("field llama_shapes log_callback"));
    }

    [Fact]
    public void AFixedCharArrayIsAnArrayAsLargeAsTheWholeArray() =>
        AssertField(offset: 72, size: 16, kind: "array", abi.Record("field llama_shapes name"));

    // The contract's kinds: ptr is one pointer of 8 bytes, array a fixed array inside a struct. An array of
    // pointers (ggml_tensor.src in b10361) is an array; described as ptr/24 it matches no managed field.
    [Fact]
    public void AFixedArrayOfPointersIsAnArrayNotAPointer() =>
        AssertField(offset: 48, size: 24, kind: "array", abi.Record("field llama_shapes rows"));

    [Fact]
    public void FunctionsListTheKindAndSizeOfTheirReturnAndEachParameter()
    {
        Assert.Contains("function llama_decode return=int/4 params=ptr/8,int/4", abi.Records);
        Assert.Contains("function llama_mix return=float/8 params=float/4,bool/1,struct:llama_context_params/8,ptr/8,ptr/8", abi.Records);
    }

    [Fact]
    public void AVoidFunctionWithoutParametersReturnsVoidOfSizeZeroAndHasAnEmptyParameterList() =>
        Assert.Contains("function llama_backend_init return=void/0 params=", abi.Records);

    // llama_get_memory returns llama_memory_t, a typedef of a pointer, as do ggml_backend_t and the other handles.
    [Fact]
    public void AFunctionReturningAPointerTypedefReturnsAPointer() =>
        Assert.Contains("function llama_get_memory return=ptr/8 params=ptr/8", abi.Records);

    [Fact]
    public async Task AMissingIncludeFolderExitsWithFiveInOneLineNamingIt()
    {
        FakeLlamaHeaders.Write(_scratch);
        var mtmd = Path.Combine(_scratch, "tools", "mtmd");
        Directory.Delete(mtmd, recursive: true);

        var result = await RunScriptAsync(_scratch);

        AssertExit(5, result);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mtmd, line, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task HeadersWithoutTheContextParamsOrDecodeExitWithFive()
    {
        FakeLlamaHeaders.Write(_scratch, "#pragma once\nint llama_something_else(void);");

        var result = await RunScriptAsync(_scratch);

        AssertExit(5, result);
        Assert.Contains("llama_decode", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{tree} {tree}")]
    [InlineData("{tree}/missing")]
    public async Task AUsageErrorExitsWithTwo(string arguments)
    {
        FakeLlamaHeaders.Write(_scratch);

        var result = await RunScriptAsync(arguments.Replace("{tree}", _scratch, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        AssertExit(2, result);
        Assert.Contains("usage", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<CommandResult> RunScriptAsync(params string[] arguments) =>
        Command.RunAsync("python3", [NativesAbiOfAFakeTree.Script, .. arguments]);

    private static void AssertField(int offset, int size, string kind, IReadOnlyDictionary<string, string> field) =>
        Assert.Equal(($"{offset}", $"{size}", kind), (field["offset"], field["size"], field["kind"]));

    private static void AssertExit(int expected, CommandResult result) =>
        Assert.True(result.ExitCode == expected, $"expected exit code {expected}, got {result}");
}
