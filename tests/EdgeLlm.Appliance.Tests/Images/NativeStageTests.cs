using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>
/// Every image builds its own llama.cpp natives in a pinned stage with scripts/build-natives.sh, for its platform
/// (and, on a GPU image, with the CUDA module in the same build, so one ggml runs in the daemon), from the source
/// package native/natives.lock pins and nothing fetched; the natives reach the image only through
/// scripts/image-steps.sh --natives (which installs the manifest's libraries in /opt/edgellm/natives, tested in
/// <see cref="ImageStepsTests"/>), and the runtime stage takes only the libraries the natives need from that stage.
/// </summary>
public sealed class NativeStageTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        { "images/Dockerfile.cpu", "--platform \"$platform\"", string.Empty },
        { "images/Dockerfile.cuda", "--platform linux-x64", "80;86;89;90" },
        { "Dockerfile.jetson", "--platform linux-arm64", "87" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void TheNativesStageBuildsTheNativesForTheImagesPlatformFromThePinnedPackage(string path, string platform, string cuda)
    {
        var file = Read(path);

        var natives = Assert.Single(file.Stages, s => s.Name == "natives");
        var build = Assert.Single(natives.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("scripts/build-natives.sh", StringComparison.Ordinal));
        Assert.Contains($"scripts/build-natives.sh {platform} ", build.Arguments, StringComparison.Ordinal);
        Assert.Contains("--out /out/natives", build.Arguments, StringComparison.Ordinal);
        // The script's own pinned source (native/natives.lock, sha256 and commit checked), never a tree handed in.
        Assert.DoesNotContain("--source", build.Arguments, StringComparison.Ordinal);
        Assert.Contains(natives.Instructions, i => i.Keyword == "COPY" && i.Arguments == "native/natives.lock native/");
        // The package native/natives.lock pins, by the file name the lock gives, let into the build context.
        Assert.Contains(natives.Instructions, i => i.Keyword == "COPY" && i.Arguments == $".natives/download/{SourcePackageFile} .natives/download/");
        Assert.True(Context.Includes($".natives/download/{SourcePackageFile}"), ".dockerignore keeps the source package out of the build context");
        Assert.Contains(natives.Instructions, i => i.Keyword == "COPY" && i.Arguments == "native/patches/ native/patches/");
        Assert.Contains(natives.Instructions, i => i.Keyword == "COPY" && i.Arguments == "native/abi/ native/abi/");
        Assert.Contains("images/runtime-libs.sh /out/natives /out/lib", build.Arguments, StringComparison.Ordinal);
        // The clang scripts/natives-abi.py prefers, so the ABI is described as it was for native/abi.
        Assert.Contains(natives.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("apt-get install", StringComparison.Ordinal) && i.Arguments.Contains(" clang-14 ", StringComparison.Ordinal));
        if (cuda.Length == 0)
        {
            Assert.DoesNotContain("--cuda", build.Arguments, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"--cuda \"{cuda}\"", build.Arguments, StringComparison.Ordinal);
            Assert.Contains("scripts/collect-cuda-libs.sh /out/natives/libggml-cuda.so /out/lib", build.Arguments, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheCpuImageBuildsTheNativesOfTheTargetArchitecture()
    {
        var natives = Read("images/Dockerfile.cpu").Stages.Single(s => s.Name == "natives");

        Assert.False(natives.From.Flags.ContainsKey("platform"), "the natives stage must run on the target platform, as build-natives.sh builds for its own machine");
        var build = Assert.Single(natives.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("scripts/build-natives.sh", StringComparison.Ordinal));
        Assert.Contains("platform=linux-x64; if [ \"$TARGETARCH\" = arm64 ]; then platform=linux-arm64; fi;", build.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DockerfileRulesTests.ImageDockerfiles), MemberType = typeof(DockerfileRulesTests))]
    public void TheNativesReachTheImageOnlyThroughTheImageStepsAndNoSecondGgmlIsLoaded(string path)
    {
        var file = Read(path);

        var build = file.Stages.Single(s => s.Name == "build");
        Assert.Contains(build.Instructions, i => i.Keyword == "COPY" && i.Arguments == "--from=natives /out/natives/ /natives/");
        var steps = Assert.Single(build.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("scripts/image-steps.sh", StringComparison.Ordinal));
        Assert.EndsWith("--natives /natives", steps.Arguments, StringComparison.Ordinal);
        // The CUDA module is one of the natives now; a module named in Inference:BackendModules would be a second ggml.
        Assert.DoesNotContain("--backend-module", steps.Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(file.Instructions, i => i.Arguments.Contains("build-cuda-module.sh", StringComparison.Ordinal));
        var fromNatives = file.Runtime.Instructions.Where(i => i.Keyword == "COPY" && i.Flags.GetValueOrDefault("from") == "natives");
        Assert.Equal(["/out/lib/ /opt/edgellm/lib/"], fromNatives.Select(i => i.Rest));
        Assert.Contains(file.Runtime.Instructions, i => i.Keyword == "ENV" && i.Arguments.StartsWith("LD_LIBRARY_PATH=/opt/edgellm/lib", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DockerfileRulesTests.ImageDockerfiles), MemberType = typeof(DockerfileRulesTests))]
    public void TheNativesAreBuiltOnAnOsNoNewerThanTheRuntimeBase(string path)
    {
        var natives = Read(path).Stages.Single(s => s.Name == "natives");

        // runtime-deps:10.0 is Ubuntu 24.04: natives built on it, on CUDA's 24.04 image or on JetPack 6 (22.04) need
        // no newer C or C++ runtime than the image has.
        Assert.Matches(@"^(mcr\.microsoft\.com/dotnet/runtime-deps:10\.0|nvidia/cuda:[0-9.]+-devel-ubuntu24\.04|nvcr\.io/nvidia/l4t-jetpack:r36\.[0-9.]+)@sha256:", natives.Image);
    }

    private static readonly DockerIgnore Context = DockerIgnore.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, ".dockerignore")));

    private static string SourcePackageFile => File.ReadAllLines(Path.Combine(TestModels.RepositoryRoot, "native", "natives.lock"))
        .Single(l => l.StartsWith("source_package_file=", StringComparison.Ordinal))["source_package_file=".Length..];

    private static Dockerfile Read(string path) => Dockerfile.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, path)));
}
