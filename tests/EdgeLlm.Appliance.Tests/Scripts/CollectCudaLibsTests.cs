using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Scripts;

/// <summary>
/// scripts/collect-cuda-libs.sh, which the GPU images run on their CUDA module, on a stand-in module compiled
/// here: it copies the toolkit libraries the module needs (and theirs) and never the driver's libcuda.so.1,
/// even when the loader can find one.
/// </summary>
public sealed class CollectCudaLibsTests : IDisposable
{
    private static readonly string Script = Path.Combine(TestModels.RepositoryRoot, "scripts", "collect-cuda-libs.sh");
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-cuda-libs-").FullName;

    private string Toolkit => Path.Combine(_scratch, "toolkit");

    private string Out => Path.Combine(_scratch, "out");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task TheToolkitLibrariesAreCopiedAndTheDriverIsNot()
    {
        var module = await BuildModuleAsync();

        var result = await Command.RunAsync(Script, [module, Out], new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = Toolkit });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["libcublas.so.12", "libcublasLt.so.12", "libcudart.so.12"], Directory.GetFiles(Out).Select(Path.GetFileName).Order());
        Assert.Contains("libcuda.so.1 comes from the host's driver; not copied", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModuleWhoseToolkitCannotBeFoundIsRefused()
    {
        var module = await BuildModuleAsync();

        var result = await Command.RunAsync(Script, [module, Out]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("libcudart.so.12", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A shared object that needs libcudart, libcublas (which needs libcublasLt) and libcuda, as a CUDA module does.</summary>
    private async Task<string> BuildModuleAsync()
    {
        Directory.CreateDirectory(Toolkit);
        await LibraryAsync(Toolkit, "libcublasLt.so.12");
        await LibraryAsync(Toolkit, "libcublas.so.12", "libcublasLt.so.12");
        await LibraryAsync(Toolkit, "libcudart.so.12");
        await LibraryAsync(Toolkit, "libcuda.so.1");
        return await LibraryAsync(_scratch, "libggml-cuda.so", "libcudart.so.12", "libcublas.so.12", "libcuda.so.1");
    }

    private async Task<string> LibraryAsync(string folder, string soname, params string[] needs)
    {
        var source = Path.Combine(_scratch, soname + ".c");
        await File.WriteAllTextAsync(source, $"int {soname.Replace('.', '_').Replace('-', '_')}(void) {{ return 0; }}\n");
        var output = Path.Combine(folder, soname);
        await Command.RunToolAsync("gcc",
            ["-shared", "-fPIC", "-o", output, $"-Wl,-soname,{soname}", source, "-Wl,--no-as-needed", $"-L{Toolkit}", .. needs.Select(n => $"-l:{n}")]);
        return output;
    }
}
