using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>Every check a natives folder must pass before anything in it is loaded, on scratch folders.</summary>
public sealed class NativeFolderTests
{
    [Fact]
    public void AFolderAsTheBuildWritesItWithTheCommittedAbiIsUsable()
    {
        using var folder = new ScratchNativeFolder();

        var validation = folder.Validate();

        Assert.True(validation.Valid, validation.Message);
        Assert.Equal("llama.cpp b10361 c2fd87ef425381d62715c8cd067b900ab0b4c11c", validation.Manifest!.Source);
        Assert.Equal(["llamasharp-0.30-context-params"], validation.Manifest.Patches);
        Assert.Contains(validation.Comparison!.Allowed, a => a.Mismatch.Name == "llama_sampler_i");
    }

    [Fact]
    public void AFolderWithoutAManifestIsRefused()
    {
        using var folder = new ScratchNativeFolder();
        File.Delete(folder.Path(NativesManifest.FileName));

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.ManifestMissing, validation.ErrorCode);
        Assert.Contains(folder.Folder, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativesBuiltForAnotherPlatformAreRefused()
    {
        using var folder = new ScratchNativeFolder(platform: "linux-arm64");

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.PlatformMismatch, validation.ErrorCode);
        Assert.Equal("the natives were built for linux-arm64, this machine is linux-x64.", validation.Message);
    }

    [Fact]
    public void AnUnknownManifestFormatIsRefused()
    {
        using var folder = new ScratchNativeFolder(format: 2);

        Assert.Equal(NativeFolderErrors.FormatUnsupported, folder.Validate().ErrorCode);
    }

    [Fact]
    public void ALibraryChangedAfterTheBuildIsRefusedByName()
    {
        using var folder = new ScratchNativeFolder();
        File.AppendAllText(folder.Path("libggml-cpu-zen4.so"), "tampered");

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.FileChanged, validation.ErrorCode);
        Assert.StartsWith("libggml-cpu-zen4.so does not have the sha256", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALibraryListedButAbsentIsRefused()
    {
        using var folder = new ScratchNativeFolder();
        File.Delete(folder.Path("libmtmd.so"));

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.FileMissing, validation.ErrorCode);
        Assert.Contains("libmtmd.so", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAbiFileThatIsNotTheOneTheManifestRecordsIsRefused()
    {
        using var folder = new ScratchNativeFolder();
        File.AppendAllText(folder.Path(NativeFolder.AbiFileName), "# edited\n");

        Assert.Equal(NativeFolderErrors.AbiChanged, folder.Validate().ErrorCode);
    }

    [Fact]
    public void AnAbiThatDiffersFromLLamaSharpsIsRefusedWithTheMismatch()
    {
        var changed = CommittedAbi.WithLine("field llama_batch logits ", "field llama_batch logits offset=48 size=8 kind=int");
        using var folder = new ScratchNativeFolder(changed);

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.AbiMismatch, validation.ErrorCode);
        Assert.Contains(validation.Comparison!.Mismatches, m => m is { Name: "llama_batch", Member: "logits", Difference: AbiDifference.FieldKindDiffers });
        Assert.Contains("struct llama_batch", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableAbiIsRefusedWithTheParsersReason()
    {
        using var folder = new ScratchNativeFolder("abi 1\nstruct broken\n");

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.AbiInvalid, validation.ErrorCode);
        Assert.Contains("line 2", validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file=../libllama.so 0000000000000000000000000000000000000000000000000000000000000000\n", "plain file name")]
    [InlineData("file=libllama.so 0000000000000000000000000000000000000000000000000000000000000000\n", "lists libllama.so twice")]
    [InlineData("platform=linux-x64\n", "sets platform twice")]
    [InlineData("no equals sign here\n", "is not key=value")]
    public void AHostileManifestLineIsRefused(string line, string expected)
    {
        using var folder = new ScratchNativeFolder();
        folder.WriteManifest(extraLines: line);

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.ManifestInvalid, validation.ErrorCode);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizeManifestIsRefusedUnread()
    {
        using var folder = new ScratchNativeFolder();
        folder.WriteManifest(extraLines: "# " + new string('x', 70_000) + "\n");

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.ManifestInvalid, validation.ErrorCode);
        Assert.Contains("more than the 65536", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestThatDoesNotListLibllamaIsRefused()
    {
        using var folder = new ScratchNativeFolder();
        var manifest = File.ReadAllLines(folder.Path(NativesManifest.FileName)).Where(l => !l.StartsWith("file=libllama.so ", StringComparison.Ordinal));
        File.WriteAllLines(folder.Path(NativesManifest.FileName), manifest);

        var validation = folder.Validate();

        Assert.Equal(NativeFolderErrors.ManifestInvalid, validation.ErrorCode);
        Assert.Equal("its manifest lists no libllama.so.", validation.Message);
    }
}
