using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Scripts;

/// <summary>
/// images/runtime-libs.sh, which every image's natives stage runs on the natives it built, on stand-in natives
/// compiled here: it copies the OpenMP runtime they need (runtime-deps has none) and nothing the runtime base or
/// the natives folder already holds, and refuses natives that need a library the runtime image would not have.
/// </summary>
public sealed class RuntimeLibsTests : IDisposable
{
    private static readonly string Script = Path.Combine(TestModels.RepositoryRoot, "images", "runtime-libs.sh");
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-runtime-libs-").FullName;

    private string Natives => Path.Combine(_scratch, "natives");

    private string Out => Path.Combine(_scratch, "out");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task TheOpenMpRuntimeIsCopiedAndTheBaseAndTheNativesOwnLibrariesAreNot()
    {
        await LibraryAsync("libggml-base.so");
        await LibraryAsync("libggml-cpu-x64.so", "-l:libggml-base.so", "-fopenmp");
        await LibraryAsync("libllama.so", "-l:libggml-base.so", "-l:libstdc++.so.6", "-l:libm.so.6");

        var result = await Command.RunAsync(Script, [Natives, Out]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["libgomp.so.1"], Directory.GetFiles(Out).Select(Path.GetFileName));
        Assert.Equal(Convert.ToInt32("644", 8), (int)File.GetUnixFileMode(Path.Combine(Out, "libgomp.so.1")));
    }

    [Fact]
    public async Task NativesThatNeedALibraryTheRuntimeImageLacksAreRefused()
    {
        await LibraryAsync("libggml-base.so");
        await LibraryAsync("libllama.so", "-l:libggml-base.so", "-l:libz.so.1");

        var result = await Command.RunAsync(Script, [Natives, Out]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("libllama.so needs libz.so.1", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A shared object in the natives folder, linked as the arguments say, with RUNPATH $ORIGIN as built natives have.</summary>
    private async Task LibraryAsync(string soname, params string[] link)
    {
        Directory.CreateDirectory(Natives);
        await File.WriteAllTextAsync(Path.Combine(Natives, "natives.manifest"), "format=1\n");
        var source = Path.Combine(_scratch, soname + ".c");
        await File.WriteAllTextAsync(source, $"int {soname.Replace('.', '_').Replace('-', '_')}(void) {{ return 0; }}\n");
        await Command.RunToolAsync("gcc",
            ["-shared", "-fPIC", "-o", Path.Combine(Natives, soname), $"-Wl,-soname,{soname}", "-Wl,-rpath,$ORIGIN", source,
             "-Wl,--no-as-needed", $"-L{Natives}", .. link]);
    }
}
