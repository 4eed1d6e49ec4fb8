using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Scripts;

/// <summary>
/// <c>scripts/build-cuda-module.sh</c> refuses a llama.cpp tree whose ggml is not the one in <c>native/ggml.lock</c>,
/// and makes and checks the module's link to LLamaSharp's ggml base. Without CUDA here, the checks run on fake
/// source trees (with <c>--check-only</c>, or built by CMake with a stand-in nvcc), and the link fix on shared
/// objects compiled by gcc in the test.
/// </summary>
[SupportedOSPlatform("linux")] // bash, gcc, readelf and ELF shared objects
public sealed partial class BuildCudaModuleScriptTests : IDisposable
{
    private const string DefaultArchitectures = "80;86;89;90";
    private static readonly string Script = Path.Combine(TestModels.RepositoryRoot, "scripts", "build-cuda-module.sh");
    private static readonly GgmlLock Lock = GgmlLock.Read(TestModels.RepositoryRoot);

    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-cuda-script-").FullName;

    private string Out => Path.Combine(_scratch, "out");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task ATreeWithAnotherGgmlVersionIsRefusedWithOneLineNamingBothVersions()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.NextGgmlVersion, Lock.BackendApiVersion);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--check-only");

        AssertExit(3, result);
        Assert.Contains(result.Lines, line => line.Contains($"expected {Lock.GgmlVersion}", StringComparison.Ordinal)
            && line.Contains($"found {Lock.NextGgmlVersion}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATreeWithAnotherBackendApiVersionIsRefused()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion + 1);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--check-only");

        AssertExit(3, result);
        Assert.Contains(result.Lines, line => line.Contains("backend API", StringComparison.Ordinal)
            && line.Contains($"expected {Lock.BackendApiVersion}", StringComparison.Ordinal)
            && line.Contains($"found {Lock.BackendApiVersion + 1}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMatchingTreePassesTheChecksAndPrintsADynamicBackendConfigureWithTheDefaultArchitecturesAndFlashAttention()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--check-only");

        AssertExit(0, result);
        var module = ConfigureLine(result, Path.Combine(tree.Root, "ggml"));
        Assert.Contains("-DGGML_BACKEND_DL=ON", module, StringComparison.Ordinal);
        Assert.Contains($"-DCMAKE_CUDA_ARCHITECTURES={DefaultArchitectures}", module, StringComparison.Ordinal);
        Assert.Contains("-DGGML_CUDA_FA=ON", module, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out), "--check-only must not create the output folder");
    }

    [Fact]
    public async Task TheBenchToolsAreConfiguredFromTheWholeTreeWithEveryCudaFlagOfTheModule()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--arch", "87", "--bench-tools", "--check-only");

        AssertExit(0, result);
        var module = ConfigureLine(result, Path.Combine(tree.Root, "ggml"));
        var bench = ConfigureLine(result, tree.Root);
        var cudaFlags = CudaFlag().Matches(module).Select(m => m.Value).ToList();
        Assert.Contains("-DCMAKE_CUDA_ARCHITECTURES=87", cudaFlags);
        Assert.Contains("-DGGML_CUDA_FA=ON", cudaFlags);
        Assert.All(cudaFlags, flag => Assert.Contains(flag, bench, StringComparison.Ordinal));
        Assert.Contains("-DGGML_BACKEND_DL=OFF", bench, StringComparison.Ordinal);
        Assert.Contains("-DLLAMA_CURL=OFF", bench, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptedGgmlVersionPassesWhileItsBackendApiVersionStillMatches()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.NextGgmlVersion, Lock.BackendApiVersion);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--accept-ggml-version", Lock.NextGgmlVersion, "--check-only");

        AssertExit(0, result);
        Assert.Contains($"ggml {Lock.NextGgmlVersion}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptedGgmlVersionWithAnotherBackendApiVersionIsStillRefused()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.NextGgmlVersion, Lock.BackendApiVersion + 1);

        var result = await RunScriptAsync("--source", tree.Root, "--out", Out, "--accept-ggml-version", Lock.NextGgmlVersion, "--check-only");

        AssertExit(3, result);
        Assert.Contains("backend API", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGitCheckoutAtAnotherCommitIsRefusedNamingThatCommitUnlessAnotherVersionIsAccepted()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);
        var commit = await tree.CommitToGitAsync();

        var refused = await RunScriptAsync("--source", tree.Root, "--out", Out, "--check-only");
        var accepted = await RunScriptAsync("--source", tree.Root, "--out", Out, "--accept-ggml-version", Lock.NextGgmlVersion, "--check-only");

        AssertExit(3, refused);
        Assert.Contains(refused.Lines, line => line.Contains($"found {commit}", StringComparison.Ordinal)
            && line.Contains($"expected {Lock.LlamaCppCommit}", StringComparison.Ordinal));
        AssertExit(0, accepted);
        Assert.Contains($"commit {commit}", accepted.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--source")]
    [InlineData("--source {tree}")]
    [InlineData("--source {tree} --out {out} --arch sm_90")]
    [InlineData("--source {tree} --out {out} --jobs 0")]
    [InlineData("--source {tree} --out {out} --accept-ggml-version latest")]
    [InlineData("--source {tree} --out {out} --frobnicate")]
    [InlineData("--source {out}/missing --out {out}")]
    [InlineData("--fix-link {out}/libggml-cuda.so --check-only")]
    public async Task AUsageErrorExitsWithTwo(string arguments)
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);
        var args = arguments.Replace("{tree}", tree.Root, StringComparison.Ordinal).Replace("{out}", Out, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var result = await RunScriptAsync(args);

        AssertExit(2, result);
    }

    [Fact]
    public async Task AMissingCudaCompilerExitsWithFourNamingIt()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);
        var environment = new Dictionary<string, string> { ["CUDACXX"] = Path.Combine(_scratch, "no-toolkit", "nvcc") };

        var result = await RunScriptAsync(environment, "--source", tree.Root, "--out", Out);

        AssertExit(4, result);
        Assert.Contains("nvcc", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out, "libggml-cuda.so")));
    }

    [Fact]
    public async Task ABuildLeavesAVerifiedModuleWithItsManifestAndTheSourceTreeAsItWas()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);
        var build = Path.Combine(_scratch, "build");

        var result = await RunScriptAsync(StandInNvcc(), "--source", tree.Root, "--out", Out, "--arch", "87", "--build-dir", build, "--jobs", "2");

        AssertExit(0, result);
        var module = Path.Combine(Out, "libggml-cuda.so");
        Assert.Equal(new[] { "libggml-cuda.so", "libggml-cuda.so.manifest" }, Directory.EnumerateFileSystemEntries(Out).Select(p => Path.GetFileName(p)).Order());
        Assert.Equal(new[] { "libggml-base.so" }, await NeededAsync(module));
        var manifest = File.ReadAllLines(module + ".manifest").Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal(Lock.GgmlVersion, manifest["ggml_version"]);
        Assert.Equal("87", manifest["cuda_architectures"]);
        Assert.Equal("unknown", manifest["source_commit"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(module))), manifest["sha256"]);
        Assert.Contains("-DGGML_CUDA_FA=ON", manifest["cmake_flags"], StringComparison.Ordinal);
        Assert.DoesNotContain(build, await Command.RunToolAsync("readelf", "-dW", module), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tree.Root, "ggml", "ggml.pc.in")), "the empty ggml.pc.in the script made must be removed");
    }

    [Fact]
    public async Task AFailedBuildExitsWithFiveAndLeavesThePreviousModuleUntouched()
    {
        var tree = FakeLlamaCppTree.Create(_scratch, Lock.GgmlVersion, Lock.BackendApiVersion);
        tree.BreakTheModuleSource();
        Directory.CreateDirectory(Out);
        var previous = Path.Combine(Out, "libggml-cuda.so");
        await File.WriteAllTextAsync(previous, "the module of an earlier build");

        var result = await RunScriptAsync(StandInNvcc(), "--source", tree.Root, "--out", Out);

        AssertExit(5, result);
        Assert.Equal(new[] { "libggml-cuda.so" }, Directory.EnumerateFileSystemEntries(Out).Select(p => Path.GetFileName(p)));
        Assert.Equal("the module of an earlier build", await File.ReadAllTextAsync(previous));
    }

    [Fact]
    public async Task FixLinkMakesAModuleNeedTheUnversionedGgmlBase()
    {
        var module = await CompileModuleAsync(FakeLlamaCppTree.ModuleSource);
        Assert.Equal(new[] { "libggml-base.so.0" }, await NeededAsync(module));

        var result = await RunScriptAsync("--fix-link", module);

        AssertExit(0, result);
        Assert.Equal(new[] { "libggml-base.so" }, await NeededAsync(module));
    }

    [Fact]
    public async Task FixLinkRefusesASharedObjectThatDoesNotExportGgmlBackendInitAndLeavesItAsItWas()
    {
        var library = await CompileModuleAsync(FakeLlamaCppTree.ModuleSource.Replace("ggml_backend_init", "ggml_backend_reg", StringComparison.Ordinal));
        var before = await File.ReadAllBytesAsync(library);

        var result = await RunScriptAsync("--fix-link", library);

        AssertExit(5, result);
        Assert.Contains("ggml_backend_init", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(library));
        Assert.Equal(new[] { library }, Directory.EnumerateFiles(Path.GetDirectoryName(library)!, "*libggml-cuda*"));
    }

    [Fact]
    public async Task FixLinkRefusesAModuleThatCarriesItsOwnGgmlBase()
    {
        var module = await CompileModuleAsync(FakeLlamaCppTree.BaseSource + FakeLlamaCppTree.ModuleSource, linkBase: false);

        var result = await RunScriptAsync("--fix-link", module);

        AssertExit(5, result);
        Assert.Contains("libggml-base.so", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryScriptPassesShellcheck()
    {
        var scripts = Directory.GetFiles(Path.Combine(TestModels.RepositoryRoot, "scripts"), "*.sh").Order().ToArray();
        Assert.Contains(Script, scripts);

        // -x: the scripts that source a helper file (build-natives.sh, image-steps.sh) are checked through it.
        var result = await Command.RunAsync("shellcheck", ["-x", .. scripts]);

        AssertExit(0, result);
    }

    private static void AssertExit(int expected, CommandResult result) =>
        Assert.True(result.ExitCode == expected, $"expected exit code {expected}, got {result}");

    /// <summary>The printed <c>cmake -S SOURCE ...</c> configure command for one source folder.</summary>
    private static string ConfigureLine(CommandResult result, string source) =>
        Assert.Single(result.StandardOutput.Split('\n'), line => line.TrimStart().StartsWith($"cmake -S {source} ", StringComparison.Ordinal));

    private static async Task<IReadOnlyList<string>> NeededAsync(string sharedObject) =>
        NeededEntry().Matches(await Command.RunToolAsync("readelf", "-dW", sharedObject)).Select(m => m.Groups[1].Value).ToList();

    private static Task<CommandResult> RunScriptAsync(params string[] arguments) => RunScriptAsync(new Dictionary<string, string>(), arguments);

    private static Task<CommandResult> RunScriptAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Command.RunAsync("bash", [Script, .. arguments], environment);

    /// <summary>An nvcc that only reports a version: the fake tree's ggml is plain C, so CMake never calls it.</summary>
    private Dictionary<string, string> StandInNvcc()
    {
        var nvcc = Path.Combine(_scratch, "toolkit", "nvcc");
        Directory.CreateDirectory(Path.GetDirectoryName(nvcc)!);
        File.WriteAllText(nvcc, "#!/bin/sh\necho 'Cuda compilation tools, release 13.0, V13.0.48'\n");
        File.SetUnixFileMode(nvcc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string> { ["CUDACXX"] = nvcc };
    }

    /// <summary>
    /// Compiles <paramref name="source"/> into <c>libggml-cuda.so</c>, linked (unless told not to) against a stub
    /// ggml base whose soname is <c>libggml-base.so.0</c>, as ggml's own build names it.
    /// </summary>
    private async Task<string> CompileModuleAsync(string source, bool linkBase = true)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "gcc")).FullName;
        var baseSource = Path.Combine(folder, "ggml-base.c");
        var moduleSource = Path.Combine(folder, "ggml-cuda.c");
        var baseLibrary = Path.Combine(folder, "libggml-base.so.0");
        var module = Path.Combine(folder, "libggml-cuda.so");
        await File.WriteAllTextAsync(baseSource, FakeLlamaCppTree.BaseSource);
        await File.WriteAllTextAsync(moduleSource, source);
        await Command.RunToolAsync("gcc", "-shared", "-fPIC", "-Wl,-soname,libggml-base.so.0", "-o", baseLibrary, baseSource);
        string[] link = linkBase ? ["-shared", "-fPIC", "-o", module, moduleSource, baseLibrary] : ["-shared", "-fPIC", "-o", module, moduleSource];
        await Command.RunToolAsync("gcc", link);
        return module;
    }

    [GeneratedRegex(@"-D(?:GGML_CUDA\w*|GGML_NATIVE|CMAKE_CUDA_ARCHITECTURES|CMAKE_BUILD_TYPE)=[^\s']+")]
    private static partial Regex CudaFlag();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededEntry();
}
