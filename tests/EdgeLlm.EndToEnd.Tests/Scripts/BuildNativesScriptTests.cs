using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Scripts;

/// <summary>
/// <c>scripts/build-natives.sh</c> and the <c>scripts/natives-source.bash</c> it sources: options, the checks that
/// refuse a source before anything is built, the cached folder, and where the source package is taken from. The
/// script runs from a scratch copy of <c>scripts/</c> and <c>native/</c> (<see cref="NativesScratchRoot"/>), on fake
/// llama.cpp trees and a fake npm package, with a stand-in npm; nothing is fetched and cmake never builds.
/// </summary>
[SupportedOSPlatform("linux")] // bash, git, tar and the C compiler natives-abi.py measures with
public sealed class BuildNativesScriptTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-natives-script-").FullName;
    private readonly NativesScratchRoot _root;

    public BuildNativesScriptTests() => _root = NativesScratchRoot.Create(_scratch, TestModels.RepositoryRoot);

    private static string HostPlatform => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task HelpPrintsTheUsageAndExitsWithZero()
    {
        var result = await _root.RunScriptAsync("--help");

        AssertExit(0, result);
        Assert.StartsWith("Usage: scripts/build-natives.sh", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--frobnicate")]
    [InlineData("--platform")]
    [InlineData("--platform linux-riscv64")]
    [InlineData("--cuda sm_90")]
    [InlineData("--cuda 80,86")]
    [InlineData("--jobs 0")]
    [InlineData("--source {scratch}/missing")]
    public async Task AUsageErrorExitsWithTwoInOneLineAndLeavesNoNativesFolder(string arguments)
    {
        var result = await _root.RunScriptAsync(arguments.Replace("{scratch}", _scratch, StringComparison.Ordinal).Split(' '));

        AssertExit(2, result);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(_root.NativesFolder), ".natives must not be created by a usage error");
    }

    [Fact]
    public async Task TheOtherArchitectureIsRefusedWithTwoNamingIt()
    {
        var other = HostPlatform == "linux-x64" ? "linux-arm64" : "linux-x64";

        var result = await _root.RunScriptAsync("--platform", other);

        AssertExit(2, result);
        Assert.Contains($"--platform {other}", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASourceWithAnotherGgmlVersionIsRefusedWithThreeNamingBothVersions()
    {
        var pinned = _root.LockValue("ggml_version");
        var other = NextMinor(pinned);
        var tree = CreateTree("other-ggml", other);

        var result = await _root.RunScriptAsync("--source", tree, "--check-only");

        AssertExit(3, result);
        Assert.Contains(result.Lines, line => line.Contains($"pins {pinned}", StringComparison.Ordinal) && line.Contains($"has {other}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASourceWhoseAbiDiffersIsRefusedWithThreeBeforeAnyBuildOrOutputFolderExists()
    {
        var tree = CreateTree("other-abi", _root.LockValue("ggml_version"));
        var output = Path.Combine(_scratch, "out");

        var result = await _root.RunScriptAsync("--source", tree, "--out", output);

        AssertExit(3, result);
        Assert.Contains(result.Lines, line => line.Contains("differs", StringComparison.Ordinal) && line.Contains(_root.LockValue("abi"), StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "build")), "nothing may be configured for a refused source");
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "out")));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task ASourceWithThePinnedAbiIsAcceptedAndCheckOnlyPrintsTheConfigureWithoutBuilding()
    {
        var tree = CreateTree("pinned-abi", _root.LockValue("ggml_version"));
        await PinAbiOfAsync(tree);

        var result = await _root.RunScriptAsync("--source", tree, "--check-only", "--cuda", "80;86");

        AssertExit(0, result);
        Assert.Contains($"source accepted: {tree}", result.StandardOutput, StringComparison.Ordinal);
        var configure = Assert.Single(result.StandardOutput.Split('\n'), line => line.Contains($" cmake -S {tree} ", StringComparison.Ordinal));
        // ggml asks git for its commit: git must stop at the tree's folder, not find an enclosing checkout's.
        Assert.StartsWith($"env GIT_CEILING_DIRECTORIES={Path.GetDirectoryName(tree)} cmake ", configure, StringComparison.Ordinal);
        foreach (var flag in new[] { "-DGGML_BACKEND_DL=ON", "-DGGML_CPU_ALL_VARIANTS=ON", "-DGGML_NATIVE=OFF", "-DGGML_OPENMP=ON", "-DCMAKE_INSTALL_RPATH=\\$ORIGIN", "-DGGML_CUDA=ON", "-DCMAKE_CUDA_ARCHITECTURES=80\\;86" })
        {
            Assert.Contains(flag, configure, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "build")));
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "out")));
    }

    [Fact]
    public async Task PrintDirWithNothingBuiltExitsWithOneAndPrintsNothing()
    {
        var tree = CreateTree("print-dir", _root.LockValue("ggml_version"));
        await PinAbiOfAsync(tree);

        var nothingPrepared = await _root.RunScriptAsync("--print-dir");
        var sourceGiven = await _root.RunScriptAsync("--source", tree, "--print-dir");

        foreach (var result in new[] { nothingPrepared, sourceGiven })
        {
            AssertExit(1, result);
            Assert.Equal(string.Empty, result.StandardOutput);
        }

        Assert.Equal(string.Empty, nothingPrepared.StandardError);
        Assert.False(File.Exists(_root.NpmCalls), "--print-dir must not fetch the source");
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "out")));
    }

    [Fact]
    public async Task AFolderWhoseManifestMatchesItsFilesIsPrintedAndReusedAndOneWithAChangedLibraryIsNot()
    {
        var tree = CreateTree("cached", _root.LockValue("ggml_version"));
        await PinAbiOfAsync(tree);
        var folder = await CachedFolderAsync(tree);
        Directory.CreateDirectory(folder);
        var library = Path.Combine(folder, "libllama.so");
        await File.WriteAllTextAsync(library, "a built libllama");
        var key = folder[(folder.LastIndexOf('-') + 1)..];
        await File.WriteAllLinesAsync(Path.Combine(folder, "natives.manifest"),
            ["format=1", $"key={key}", $"file=libllama.so {Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(library)))}"]);

        var printed = await _root.RunScriptAsync("--source", tree, "--print-dir");
        var reused = await _root.RunScriptAsync("--source", tree);
        await File.WriteAllTextAsync(library, "another libllama");
        var changed = await _root.RunScriptAsync("--source", tree, "--print-dir");

        AssertExit(0, printed);
        Assert.Equal(folder, printed.StandardOutput.Trim());
        AssertExit(0, reused);
        Assert.Equal(folder, reused.StandardOutput.Trim());
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "build")), "a cached folder must not be built again");
        AssertExit(1, changed);
        Assert.Equal(string.Empty, changed.StandardOutput);
    }

    [Fact]
    public async Task ASharedPackageWithAnotherSha256IsIgnoredWithANoteAndNpmIsAskedInstead()
    {
        var tree = CreateTree("package", _root.LockValue("ggml_version"));
        var package = await FakeNodeLlamaCppPackage.CreateAsync(tree, SharedPackagePath);

        var result = await _root.RunScriptAsync();

        Assert.NotEqual(0, result.ExitCode);
        // The script names the copy as it looked for it: <root>/../shared/natives/<file>.
        var seenAs = Path.Combine(_root.Root, "..", "shared", "natives", Path.GetFileName(package.Path));
        Assert.Contains(result.Lines, line => line.Contains($"ignoring {seenAs}:", StringComparison.Ordinal)
            && line.Contains($"sha256 {package.Sha256}", StringComparison.Ordinal)
            && line.Contains($"expected {_root.LockValue("source_package_sha256")}", StringComparison.Ordinal));
        Assert.Contains($"pack --silent {_root.LockValue("source_package")}", await File.ReadAllTextAsync(_root.NpmCalls), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "src", "llama.cpp")));
    }

    // The script's own contract: 4 when a tool (here npm) cannot provide what is needed, with that one reason.
    [Fact]
    public async Task WhenNpmCannotFetchThePackageTheScriptExitsWithFourSayingSo()
    {
        var result = await _root.RunScriptAsync("--check-only");

        AssertExit(4, result);
        Assert.Contains(result.Lines, line => line.Contains("npm could not fetch", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Lines, line => line.Contains("holds no package", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APackageWithThePinnedSha256WhoseBundleHoldsAnotherCommitIsRefusedWithThreeNamingBothCommits()
    {
        var tree = CreateTree("package", _root.LockValue("ggml_version"));
        var package = await FakeNodeLlamaCppPackage.CreateAsync(tree, SharedPackagePath);
        _root.SetLockValue("source_package_sha256", package.Sha256);

        var result = await _root.RunScriptAsync("--check-only");

        AssertExit(3, result);
        Assert.Contains(result.Lines, line => line.Contains($"commit {package.Commit}", StringComparison.Ordinal)
            && line.Contains($"pins {_root.LockValue("llama_cpp_commit")}", StringComparison.Ordinal));
        Assert.False(File.Exists(_root.NpmCalls), "a shared package with the pinned sha256 must be used, not npm");
        Assert.False(Directory.Exists(Path.Combine(_root.NativesFolder, "src", "llama.cpp")));
        Assert.False(File.Exists(Path.Combine(_root.NativesFolder, "src", "llama.cpp.stamp")));
    }

    [Fact]
    public async Task ARefusedBundleLeavesNoWorkFolderBehind()
    {
        var tree = CreateTree("package", _root.LockValue("ggml_version"));
        var package = await FakeNodeLlamaCppPackage.CreateAsync(tree, SharedPackagePath);
        _root.SetLockValue("source_package_sha256", package.Sha256);

        var result = await _root.RunScriptAsync("--check-only");

        AssertExit(3, result);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.NativesFolder, "src.*"));
    }

    [Fact]
    public async Task ThePinnedPackageIsPreparedOnceTrimmedAndPatchedAndThenReusedWithoutIt()
    {
        var tree = CreateTree("package", _root.LockValue("ggml_version"));
        foreach (var file in new[] { "models/ggml-vocab.gguf", "docs/build.md", "ggml/src/ggml-vulkan/vulkan.cpp", "tools/ui/CMakeLists.txt", "tools/ui/embed.cpp", "tools/ui/index.html" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, file))!);
            await File.WriteAllTextAsync(Path.Combine(tree, file), file);
        }

        await PinAbiOfAsync(tree);
        var package = await FakeNodeLlamaCppPackage.CreateAsync(tree, SharedPackagePath);
        _root.SetLockValue("source_package_sha256", package.Sha256);
        _root.SetLockValue("llama_cpp_commit", package.Commit);
        _root.SetLockValue("patches", "edgellm-test");
        await File.WriteAllTextAsync(Path.Combine(_root.Root, "native", "patches", "edgellm-test.patch"),
            "--- /dev/null\n+++ b/PATCHED\n@@ -0,0 +1 @@\n+patched by native/patches\n");

        var first = await _root.RunScriptAsync("--check-only");
        File.Delete(package.Path);
        var second = await _root.RunScriptAsync("--check-only");

        var prepared = Path.Combine(_root.NativesFolder, "src", "llama.cpp");
        AssertExit(0, first);
        AssertExit(0, second);
        Assert.Contains($"source accepted: {prepared}", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("patched by native/patches\n", await File.ReadAllTextAsync(Path.Combine(prepared, "PATCHED")));
        Assert.False(Directory.Exists(Path.Combine(prepared, ".git")));
        Assert.All(new[] { "models", "docs", "ggml/src/ggml-vulkan" }, trimmed => Assert.False(Directory.Exists(Path.Combine(prepared, trimmed)), trimmed));
        Assert.Equal(new[] { "CMakeLists.txt", "embed.cpp" }, Directory.EnumerateFiles(Path.Combine(prepared, "tools", "ui")).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(prepared, "include", "llama.h")));
        Assert.False(File.Exists(_root.NpmCalls), "a pinned package beside the repository must be used, not npm");
    }

    private string SharedPackagePath => Path.Combine(_root.SharedNatives, _root.LockValue("source_package_file"));

    private static string NextMinor(string version)
    {
        var parts = version.Split('.');
        return $"{parts[0]}.{int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 1}.{parts[2]}";
    }

    private static void AssertExit(int expected, CommandResult result) =>
        Assert.True(result.ExitCode == expected, $"expected exit code {expected}, got {result}");

    /// <summary>A fake llama.cpp tree with <paramref name="ggmlVersion"/> and the minimal public headers.</summary>
    private string CreateTree(string name, string ggmlVersion)
    {
        var tree = FakeLlamaCppTree.Create(Path.Combine(_scratch, name), ggmlVersion, backendApiVersion: 1).Root;
        FakeLlamaHeaders.Write(tree);
        return tree;
    }

    /// <summary>Makes the scratch root's pinned ABI file the description of <paramref name="tree"/>, under a comment as the real one has.</summary>
    private async Task PinAbiOfAsync(string tree)
    {
        var abi = await Command.RunToolAsync("python3", Path.Combine(_root.Root, "scripts", "natives-abi.py"), tree);
        await File.WriteAllTextAsync(Path.Combine(_root.Root, _root.LockValue("abi")), "# pinned by the test\n" + abi);
    }

    /// <summary>The folder the script would build <paramref name="tree"/> into, as --check-only prints it.</summary>
    private async Task<string> CachedFolderAsync(string tree)
    {
        var result = await _root.RunScriptAsync("--source", tree, "--check-only");
        AssertExit(0, result);
        var line = Assert.Single(result.StandardOutput.Split('\n'), l => l.StartsWith("source accepted: ", StringComparison.Ordinal));
        return line[(line.IndexOf("would build into ", StringComparison.Ordinal) + "would build into ".Length)..];
    }
}
