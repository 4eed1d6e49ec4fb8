using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// The private /opt provisioning runs in hides only what provisioning installs there: a checkout, a cache or a link
/// beside it stays usable. Shown on a scratch folder laid out like a CI runner's /opt.
/// </summary>
public sealed class PrivateOptTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-private-opt-").FullName;

    private string Opt => Path.Combine(_scratch, "opt");

    [Fact]
    public async Task TheApplianceFoldersAreGoneAndEverythingElseIsReadableAndWritable()
    {
        Directory.CreateDirectory(Path.Combine(Opt, "edgellm"));
        Directory.CreateDirectory(Path.Combine(Opt, "edgellm-supervisor"));
        Directory.CreateDirectory(Path.Combine(Opt, "actions-runner", "_work", "edge-llm"));
        await File.WriteAllTextAsync(Path.Combine(Opt, "actions-runner", "_work", "edge-llm", "provision.sh"), "checkout\n");
        await File.WriteAllTextAsync(Path.Combine(Opt, "marker"), "file\n");
        File.CreateSymbolicLink(Path.Combine(Opt, "current"), "/opt/edgellm");

        var (program, arguments) = PrivateOpt.Wrap("bash", ["-c", """
            [[ ! -e $1/edgellm && ! -e $1/edgellm-supervisor ]] || { echo "an appliance folder is visible"; exit 1; }
            cat "$1/actions-runner/_work/edge-llm/provision.sh" "$1/marker"
            readlink "$1/current"
            echo written >"$1/actions-runner/_work/edge-llm/output"
            """, "inside", Opt], Opt);
        var result = await Command.RunAsync(program, arguments);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("checkout\nfile\n/opt/edgellm\n", result.StandardOutput);
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(Opt, "actions-runner", "_work", "edge-llm", "output")));
        Assert.True(Directory.Exists(Path.Combine(Opt, "edgellm")), "the folder is hidden inside only, never removed");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
