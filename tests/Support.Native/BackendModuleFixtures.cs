using System.Diagnostics;

namespace EdgeLlm.Testing;

/// <summary>The ways a stand-in ggml backend module can be built: one that works and one per failure a real module meets.</summary>
internal enum FixtureModule
{
    /// <summary>Registers backend EdgeLlmFixture with one GPU device, FIXTURE0 (6 of 8 GiB free).</summary>
    Gpu,
    NoDevices,
    ScoreZero,
    ApiVersionMismatch,
    NoInit,
    UndefinedSymbol,

    /// <summary>Needs <c>libedgellm-fixture-cudart.so.13</c>, which is deleted after linking.</summary>
    NeedsMissingLibrary,

    /// <summary>Needs <c>libggml-base.so.0</c>, as a module built without the base-library fix does.</summary>
    ForeignGgml,
}

/// <summary>
/// Compiles <c>Fixtures/backend_module.c</c> with the machine's C compiler into real shared objects, once per
/// test process, so module loading is tested through the real dynamic linker and ggml's real loader.
/// </summary>
internal static class BackendModuleFixtures
{
    public const string MissingLibrary = "libedgellm-fixture-cudart.so.13";

    private static readonly Lock Gate = new();
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"edgellm-fixtures-{Environment.ProcessId}");
    private static readonly Dictionary<FixtureModule, string> Built = [];

    public static string Get(FixtureModule module)
    {
        lock (Gate)
        {
            if (!Built.TryGetValue(module, out var path))
            {
                path = Build(module);
                Built[module] = path;
            }

            return path;
        }
    }

    private static string Build(FixtureModule module)
    {
        Directory.CreateDirectory(Root);
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "backend_module.c");
        var output = Path.Combine(Root, $"libfixture-{module.ToString().ToLowerInvariant()}.so");
        var stubs = Path.Combine(Root, "stubs-" + module);
        var arguments = new List<string> { "-shared", "-fPIC", "-O0", "-Wl,--no-as-needed", "-o", output, source };
        switch (module)
        {
            case FixtureModule.NoDevices: arguments.Add("-DFIXTURE_DEVICES=0"); break;
            case FixtureModule.ScoreZero: arguments.Add("-DFIXTURE_SCORE_ZERO"); break;
            case FixtureModule.ApiVersionMismatch: arguments.Add("-DFIXTURE_API_VERSION=99"); break;
            case FixtureModule.NoInit: arguments.Add("-DFIXTURE_NO_INIT"); break;
            case FixtureModule.UndefinedSymbol: arguments.Add("-DFIXTURE_UNDEFINED_SYMBOL"); break;
            case FixtureModule.NeedsMissingLibrary:
                arguments.AddRange(["-DFIXTURE_NEEDS_LIBRARY", "-L" + stubs, "-l:" + MissingLibrary]);
                Stub(stubs, MissingLibrary);
                break;
            case FixtureModule.ForeignGgml:
                arguments.AddRange(["-DFIXTURE_NEEDS_LIBRARY", "-L" + stubs, "-l:libggml-base.so.0"]);
                Stub(stubs, "libggml-base.so.0");
                break;
        }

        Compile(arguments);
        if (Directory.Exists(stubs))
        {
            // Gone after linking: the module's DT_NEEDED entry now names a library nobody can find.
            Directory.Delete(stubs, recursive: true);
        }

        return output;
    }

    private static void Stub(string directory, string soname)
    {
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "stub.c");
        File.WriteAllText(source, "int fixture_stub_function(void) { return 7; }\n");
        Compile(["-shared", "-fPIC", "-Wl,-soname," + soname, "-o", Path.Combine(directory, soname), source]);
    }

    private static void Compile(List<string> arguments)
    {
        var start = new ProcessStartInfo("gcc", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("gcc could not be started; the module tests need a C compiler.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc {string.Join(' ', arguments)} failed: {errors}");
        }
    }
}
