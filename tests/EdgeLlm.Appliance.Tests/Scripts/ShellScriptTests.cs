using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Scripts;

/// <summary>Every shell script of the appliance (provisioning/, the container launcher, the image steps and natives stage) passes shellcheck and stops at its first error.</summary>
public sealed class ShellScriptTests
{
    public static TheoryData<string> Scripts =>
    [
        .. Directory.GetFiles(Path.Combine(TestModels.RepositoryRoot, "provisioning"), "*.sh").Order(),
        ApplianceFixture.Script("provisioning", "api-tls.bash"),
        ApplianceFixture.Script("provisioning", "natives.bash"),
        ApplianceFixture.Script("images", "runtime-libs.sh"),
        ApplianceFixture.Script("provisioning", "edgellm-host"),
        ApplianceFixture.Script("systemd", "edgellm-container"),
        ApplianceFixture.Script("systemd", "edgellm-release"),
        ApplianceFixture.Script("scripts", "image-steps.sh"),
        ApplianceFixture.Script("scripts", "collect-cuda-libs.sh"),
        ApplianceFixture.Script("scripts", "soak.sh"),
        ApplianceFixture.Script("scripts", "console-screenshot.sh"),
        ApplianceFixture.Script("scripts", "run-dev.sh"),
    ];

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task TheScriptPassesShellcheckAndRunsWithErrexitNounsetAndPipefail(string script)
    {
        // -x: provision.sh sources api-tls.bash, which is checked as part of it too.
        var result = await Command.RunAsync("shellcheck", ["-x", script]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("set -euo pipefail", await File.ReadAllLinesAsync(script));
        Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
    }

    [Fact]
    public void TheProvisioningFolderHoldsTheScriptsTheReadmeNames()
    {
        var scripts = Directory.GetFiles(Path.Combine(TestModels.RepositoryRoot, "provisioning"), "*.sh").Select(Path.GetFileName).Order();

        Assert.Equal(["provision.sh", "usb-import.sh", "usb-pack.sh"], scripts);
    }
}
