using EdgeLlm.Inference.Backends;
using EdgeLlm.Testing;

namespace EdgeLlm.Inference.Tests.Backends;

/// <summary>
/// Every way a backend module can fail, through the real dynamic linker and ggml's real loader, with
/// modules compiled here. None of these registers a device, so this test process stays CPU-only;
/// a module that does register one is tested in a child process (the doctor end-to-end tests).
/// </summary>
public sealed class BackendModuleLoaderTests
{
    [Fact]
    public void AMissingFileIsNamed()
    {
        var result = BackendModuleLoader.Load("/nonexistent/edgellm/libggml-cuda.so");

        Assert.Equal(BackendModuleErrors.Missing, result.ErrorCode);
        Assert.Contains("/nonexistent/edgellm/libggml-cuda.so", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotASharedObjectIsRefusedBeforeTheLinkerSeesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgellm-not-elf-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "#!/bin/sh\necho not a library\n");
        try
        {
            var result = BackendModuleLoader.Load(path);

            Assert.Equal(BackendModuleErrors.Invalid, result.ErrorCode);
            Assert.Contains("not an ELF", result.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingLibrariesAreListedLddStyle()
    {
        var result = BackendModuleLoader.Load(BackendModuleFixtures.Get(FixtureModule.NeedsMissingLibrary));

        Assert.Equal(BackendModuleErrors.MissingLibrary, result.ErrorCode);
        Assert.Contains(BackendModuleFixtures.MissingLibrary, result.Message, StringComparison.Ordinal);
        var missing = Assert.Single(result.Dependencies, d => !d.Found);
        Assert.Equal(BackendModuleFixtures.MissingLibrary, missing.Name);
        Assert.Contains("cannot open shared object file", missing.Problem, StringComparison.Ordinal);
        Assert.Contains(result.Dependencies, d => d.Name == "libc.so.6" && d.Found);
    }

    [Fact]
    public void AModuleLinkedAgainstItsOwnGgmlIsRefusedWithTheFix()
    {
        var path = BackendModuleFixtures.Get(FixtureModule.ForeignGgml);

        var result = BackendModuleLoader.Load(path);

        Assert.Equal(BackendModuleErrors.ForeignGgml, result.ErrorCode);
        Assert.Contains("libggml-base.so.0", result.Message, StringComparison.Ordinal);
        Assert.Contains("patchelf --replace-needed libggml-base.so.0 libggml-base.so " + path, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndefinedSymbolIsReportedInTheLinkersWords()
    {
        var result = BackendModuleLoader.Load(BackendModuleFixtures.Get(FixtureModule.UndefinedSymbol));

        Assert.Equal(BackendModuleErrors.LoadFailed, result.ErrorCode);
        Assert.Contains("fixture_symbol_nobody_defines", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALibraryWithoutTheBackendEntryPointIsNotAModule()
    {
        var result = BackendModuleLoader.Load(BackendModuleFixtures.Get(FixtureModule.NoInit));

        Assert.Equal(BackendModuleErrors.NotGgml, result.ErrorCode);
        Assert.Contains("ggml_backend_init", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModuleThatScoresZeroIsRefusedWithGgmlsReason()
    {
        var result = BackendModuleLoader.Load(BackendModuleFixtures.Get(FixtureModule.ScoreZero));

        Assert.Equal(BackendModuleErrors.Rejected, result.ErrorCode);
        Assert.Contains("not supported", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModuleForAnotherBackendApiVersionIsRefusedWithGgmlsReason()
    {
        var result = BackendModuleLoader.Load(BackendModuleFixtures.Get(FixtureModule.ApiVersionMismatch));

        Assert.Equal(BackendModuleErrors.Rejected, result.ErrorCode);
        Assert.Contains("version", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ARefusedModuleLeavesGgmlsRegistryAsItWas()
    {
        var registry = new GgmlBackendRegistry(
            Microsoft.Extensions.Options.Options.Create(new InferenceOptions { BackendModules = [BackendModuleFixtures.Get(FixtureModule.ScoreZero)] }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var inventory = registry.Inventory();

        Assert.False(Assert.Single(inventory.Modules).Loaded);
        Assert.DoesNotContain(inventory.Backends, b => b.Name == "EdgeLlmFixture");
        Assert.False(inventory.GpuOffload);
    }
}
